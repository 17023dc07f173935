/**
 * Blender / NeRF-Synthetic scenes (`transforms_{train,val,test}.json` + RGBA PNGs), as nerf's
 * `load_blender_data`: images composited on white, focal = 0.5·W / tan(0.5·camera_angle_x),
 * near 2, far 6, integer down-scaling (`factor: 2` is nerf's `half_res` on 800 px originals).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath } from '../../../data/paths';
import { readPngRgb } from '../../../data/png';
import { pose3x4From4x4, sphericalPath, type NerfScene, type NerfView } from './scene';

export interface BlenderOptions {
  /** Box down-scale factor (1 = as stored). */
  factor?: number;
  /** Which splits to read images for (others come back empty). Default all three. */
  splits?: Array<'train' | 'val' | 'test'>;
  /** Keep every k-th frame of val/test (nerf's `testskip`). Default 1. */
  testskip?: number;
  /** Keep at most this many frames per split (after testskip). */
  maxPerSplit?: Partial<Record<'train' | 'val' | 'test', number>>;
  renderFrames?: number;
}

interface TransformsJson {
  camera_angle_x: number;
  frames: Array<{ file_path: string; transform_matrix: number[][] }>;
}

/**
 * A split's `transforms_<split>.json`, checked: camera_angle_x a finite angle in (0, π), every
 * frame a file_path and a 4×4 transform_matrix of finite numbers. Errors name the file and frame.
 */
export function readTransforms(root: string, split: 'train' | 'val' | 'test'): { file: string; angle: number; frames: Array<{ file_path: string; pose: Float64Array }> } {
  const file = join(root, `transforms_${split}.json`);
  if (!existsSync(file)) throw new Error(`Blender scene: ${file} not found (is ${root} a nerf_synthetic scene folder?)`);
  let meta: TransformsJson;
  try {
    meta = JSON.parse(readFileSync(file, 'utf8')) as TransformsJson;
  } catch (e) {
    throw new Error(`Blender scene: cannot parse ${file}: ${(e as Error).message}`);
  }
  if (!meta || typeof meta !== 'object' || typeof meta.camera_angle_x !== 'number' || !Array.isArray(meta.frames)) throw new Error(`${file}: needs camera_angle_x and frames`);
  const angle = meta.camera_angle_x;
  if (!(Number.isFinite(angle) && angle > 0 && angle < Math.PI)) throw new Error(`${file}: camera_angle_x must be an angle in (0, π), got ${angle}`);
  const frames = meta.frames.map((fr, i) => {
    if (!fr || typeof fr.file_path !== 'string' || fr.file_path === '') throw new Error(`${file}: frame ${i} has no file_path`);
    const where = `${file} frame ${i} (${fr.file_path})`;
    return { file_path: fr.file_path, pose: pose3x4From4x4(fr.transform_matrix, where) };
  });
  return { file, angle, frames };
}

/** `dir` defaults to the shared 200×200 lego. */
export function loadBlender(dir?: string, opts: BlenderOptions = {}): NerfScene {
  const root = dir ?? dataPath('nerf/lego_200');
  const splits = opts.splits ?? ['train', 'val', 'test'];
  const factor = opts.factor ?? 1;
  const out: Record<'train' | 'val' | 'test', NerfView[]> = { train: [], val: [], test: [] };
  let angle: number | undefined;
  let H = 0;
  let W = 0;
  for (const split of splits) {
    const t = readTransforms(root, split);
    angle = t.angle;
    const skip = split === 'train' ? 1 : (opts.testskip ?? 1);
    let frames = t.frames.filter((_, i) => i % skip === 0);
    const max = opts.maxPerSplit?.[split];
    if (max !== undefined) frames = frames.slice(0, max);
    for (const fr of frames) {
      const png = join(root, fr.file_path.endsWith('.png') ? fr.file_path : fr.file_path + '.png');
      let img: ReturnType<typeof readPngRgb>;
      try {
        img = readPngRgb(png, { whiteBackground: true, factor });
      } catch (e) {
        throw new Error(`${t.file}: frame '${fr.file_path}': ${(e as Error).message}`);
      }
      if (H === 0) {
        H = img.height;
        W = img.width;
      } else if (img.height !== H || img.width !== W) {
        throw new Error(`Blender scene: ${png} (a frame of ${t.file}) is ${img.width}×${img.height}, others are ${W}×${H}`);
      }
      out[split].push({ image: img.data, pose: fr.pose, name: png });
    }
  }
  if (angle === undefined || H === 0) throw new Error(`Blender scene ${root}: no frames read from ${splits.map((s) => `transforms_${s}.json`).join(', ')}`);
  const focal = (0.5 * W) / Math.tan(0.5 * angle);
  return {
    kind: 'blender', H, W, focal, near: 2, far: 6, ndc: false, whiteBackground: true,
    train: out.train, val: out.val, test: out.test, renderPoses: sphericalPath(opts.renderFrames ?? 40),
  };
}
