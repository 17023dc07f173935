/**
 * LLFF forward-facing scenes (`poses_bounds.npy` + `images_<factor>/`), as nerf's
 * `load_llff_data(recenter=True, bd_factor=.75, spherify=False)`: axes reordered from LLFF's
 * [down, right, back] to [right, up, back], translations scaled so the nearest bound is 1/0.75,
 * poses recentred on their average, every `llffhold`-th view held out for testing (0, 8, 16, ...),
 * rays in NDC with near 0 / far 1, and a spiral camera path for rendering.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath } from '../../../data/paths';
import { readPngRgb } from '../../../data/png';
import { parseNpy } from '../../../data/npy';
import type { NerfScene, NerfView } from './scene';

export interface LlffOptions {
  /** Which stored down-sampled folder to read: `images_<factor>` (1 means `images`). Default 8. */
  factor?: number;
  /** Extra integer box down-scaling on top of `factor` (CPU budgets). Default 1. */
  downscale?: number;
  /** Hold out every n-th view for testing. Default 8. */
  llffhold?: number;
  renderFrames?: number;
}

type V3 = [number, number, number];
const sub = (a: V3, b: V3): V3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const cross = (a: V3, b: V3): V3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const normalize = (a: V3): V3 => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};

/** A 3×4 row-major pose from axis z, an up hint and a position (nerf's `viewmatrix`). */
export function viewMatrix(z: V3, up: V3, pos: V3): Float64Array {
  const v2 = normalize(z);
  const v0 = normalize(cross(up, v2));
  const v1 = normalize(cross(v2, v0));
  const m = new Float64Array(12);
  for (let r = 0; r < 3; r++) {
    m[r * 4] = v0[r]!;
    m[r * 4 + 1] = v1[r]!;
    m[r * 4 + 2] = v2[r]!;
    m[r * 4 + 3] = pos[r]!;
  }
  return m;
}

const col = (p: Float64Array, c: number): V3 => [p[c]!, p[4 + c]!, p[8 + c]!];

/** nerf's `poses_avg`: mean centre, summed z axis, summed up axis. */
export function posesAvg(poses: Float64Array[]): Float64Array {
  const center: V3 = [0, 0, 0];
  const z: V3 = [0, 0, 0];
  const up: V3 = [0, 0, 0];
  for (const p of poses) {
    for (let k = 0; k < 3; k++) {
      center[k] += p[k * 4 + 3]! / poses.length;
      z[k] += p[k * 4 + 2]!;
      up[k] += p[k * 4 + 1]!;
    }
  }
  return viewMatrix(z, up, center);
}

/** inv([R|t; 0 1]) · [P|q; 0 1] for rigid R. */
function relativeTo(c2w: Float64Array, p: Float64Array): Float64Array {
  const out = new Float64Array(12);
  const t: V3 = col(c2w, 3);
  for (let r = 0; r < 3; r++) {
    // row r of R^T is column r of R
    for (let c = 0; c < 4; c++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += c2w[k * 4 + r]! * (c === 3 ? p[k * 4 + 3]! - t[k] : p[k * 4 + c]!);
      out[r * 4 + c] = s;
    }
  }
  return out;
}

/**
 * `poses_bounds.npy` of an LLFF scene, checked: shape (N, 17), every value finite, each pose's
 * image height, width and focal length positive, its near bound positive and its far bound beyond
 * it. Errors name the file, the pose and the value.
 */
export function readLlffPoses(root: string): { file: string; rows: Float64Array; n: number } {
  const npyPath = join(root, 'poses_bounds.npy');
  if (!existsSync(npyPath)) throw new Error(`LLFF scene: ${npyPath} not found (is ${root} an LLFF scene folder?)`);
  const arr = parseNpy(readFileSync(npyPath), npyPath);
  if (arr.shape.length !== 2 || arr.shape[1] !== 17) throw new Error(`${npyPath}: expected shape (N, 17), got (${arr.shape.join(', ')})`);
  const n = arr.shape[0]!;
  if (n < 1) throw new Error(`${npyPath}: no poses`);
  for (let i = 0; i < n; i++) {
    const row = arr.data.subarray(i * 17, i * 17 + 17);
    const bad = row.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new Error(`${npyPath}: pose ${i} has a non-finite value (${row[bad]}) in column ${bad}`);
    const [h, w, f, near, far] = [row[4]!, row[9]!, row[14]!, row[15]!, row[16]!];
    if (!(h > 0 && w > 0 && f > 0)) throw new Error(`${npyPath}: pose ${i} has image height ${h}, width ${w}, focal ${f}; all must be positive`);
    if (!(near > 0 && far > near)) throw new Error(`${npyPath}: pose ${i} has bounds near ${near}, far ${far}; need 0 < near < far`);
  }
  return { file: npyPath, rows: arr.data, n };
}

export function loadLlff(dir?: string, opts: LlffOptions = {}): NerfScene {
  const root = dir ?? dataPath('nerf/fern');
  const factor = opts.factor ?? 8;
  const { file: npyPath, rows, n } = readLlffPoses(root);
  const imgDir = join(root, factor === 1 ? 'images' : `images_${factor}`);
  if (!existsSync(imgDir)) throw new Error(`LLFF scene: ${imgDir} not found (pass the factor of a folder that exists)`);
  const files = readdirSync(imgDir).filter((f) => /\.(png|PNG)$/.test(f)).sort();
  if (files.length !== n) throw new Error(`LLFF scene: ${imgDir} has ${files.length} PNG images but ${npyPath} has ${n} poses`);

  // Rows: 3×5 [R | t | (H, W, f)] row-major, then near, far.
  let poses: Float64Array[] = [];
  const bounds: Array<[number, number]> = [];
  let fullW = 0;
  let fullFocal = 0;
  for (let i = 0; i < n; i++) {
    const row = rows.subarray(i * 17, i * 17 + 17);
    const p = new Float64Array(12);
    for (let r = 0; r < 3; r++) {
      // [down, right, back, t] -> [right, up = -down, back, t]
      p[r * 4] = row[r * 5 + 1]!;
      p[r * 4 + 1] = -row[r * 5]!;
      p[r * 4 + 2] = row[r * 5 + 2]!;
      p[r * 4 + 3] = row[r * 5 + 3]!;
    }
    fullW = row[1 * 5 + 4]!;
    fullFocal = row[2 * 5 + 4]!;
    poses.push(p);
    bounds.push([row[15]!, row[16]!]);
  }
  const minBd = Math.min(...bounds.map((b) => b[0]));
  const maxBd = Math.max(...bounds.map((b) => b[1]));
  const sc = 1 / (minBd * 0.75);
  for (const p of poses) for (let r = 0; r < 3; r++) p[r * 4 + 3]! *= sc;
  const avg = posesAvg(poses);
  poses = poses.map((p) => relativeTo(avg, p));
  if (poses.some((p) => p.some((v) => !Number.isFinite(v)))) throw new Error(`${npyPath}: the poses cannot be recentred (degenerate or extreme values)`);

  const down = opts.downscale ?? 1;
  const views: NerfView[] = [];
  let H = 0;
  let W = 0;
  files.forEach((f, i) => {
    const img = readPngRgb(join(imgDir, f), { factor: down });
    if (H === 0) {
      H = img.height;
      W = img.width;
    } else if (img.width !== W || img.height !== H) throw new Error(`LLFF scene: ${f} is ${img.width}×${img.height}, others ${W}×${H}`);
    views.push({ image: img.data, pose: poses[i]!, name: join(imgDir, f) });
  });
  // Focal scales with the image width (the stored folder may have been resized from fullW).
  const focal = (fullFocal * W) / fullW;
  if (!(Number.isFinite(focal) && focal > 0)) throw new Error(`${npyPath}: focal ${fullFocal} for width ${fullW} gives no usable focal length at ${W} px`);
  const hold = opts.llffhold ?? 8;
  const test = views.filter((_, i) => i % hold === 0);
  const train = views.filter((_, i) => i % hold !== 0);
  return {
    kind: 'llff', H, W, focal, near: 0, far: 1, ndc: true, whiteBackground: false,
    train, test, val: test, renderPoses: spiralPath(poses, minBd * sc, maxBd * sc, opts.renderFrames ?? 40),
  };
}

/** nerf's `render_path_spiral` around the average pose (2 turns, zrate 0.5). */
export function spiralPath(poses: Float64Array[], nearBd: number, farBd: number, n: number): Float64Array[] {
  const c2w = posesAvg(poses);
  const upSum: V3 = [0, 0, 0];
  for (const p of poses) for (let k = 0; k < 3; k++) upSum[k] += p[k * 4 + 1]!;
  const up = normalize(upSum);
  const closeDepth = nearBd * 0.9;
  const infDepth = farBd * 5;
  const dt = 0.75;
  const focal = 1 / ((1 - dt) / closeDepth + dt / infDepth);
  const rads: V3 = [0, 1, 2].map((k) => percentile(poses.map((p) => Math.abs(p[k * 4 + 3]!)), 90)) as V3;
  const apply = (v: [number, number, number, number]): V3 =>
    [0, 1, 2].map((r) => c2w[r * 4]! * v[0] + c2w[r * 4 + 1]! * v[1] + c2w[r * 4 + 2]! * v[2] + c2w[r * 4 + 3]! * v[3]) as V3;
  const out: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const th = (2 * Math.PI * 2 * k) / n;
    const c = apply([Math.cos(th) * rads[0], -Math.sin(th) * rads[1], -Math.sin(th * 0.5) * rads[2], 1]);
    const z = normalize(sub(c, apply([0, 0, -focal, 1])));
    out.push(viewMatrix(z, up, c));
  }
  return out;
}

function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = ((s.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
