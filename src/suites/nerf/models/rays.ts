/**
 * Camera rays (nerf's `get_rays`, pinhole, OpenGL axes) and the NDC warp for forward-facing
 * scenes (`ndc_rays`). Plain typed arrays: rays are data, not part of any gradient.
 */
export interface Rays {
  n: number;
  /** n*3 origins. */
  origins: Float32Array;
  /** n*3 directions (not normalised: z = -1 in camera space, as nerf). */
  dirs: Float32Array;
  /** n*3 unit viewing directions (taken before any NDC warp). */
  viewdirs: Float32Array;
}

/**
 * Rays through every pixel (i = column, j = row) of an H×W camera with focal length `focal` and
 * camera-to-world `pose` (3×4 row-major): d = R · ((i - W/2)/f, -(j - H/2)/f, -1), o = t.
 * `pixels` picks a subset (flat indices j*W + i) in that order.
 */
export function getRays(H: number, W: number, focal: number, pose: ArrayLike<number>, pixels?: ArrayLike<number>): Rays {
  if (pose.length < 12) throw new Error(`getRays: pose must be 3×4 (12 numbers), got ${pose.length}`);
  const n = pixels ? pixels.length : H * W;
  const origins = new Float32Array(n * 3);
  const dirs = new Float32Array(n * 3);
  const viewdirs = new Float32Array(n * 3);
  for (let k = 0; k < n; k++) {
    const p = pixels ? pixels[k]! : k;
    if (p < 0 || p >= H * W) throw new Error(`getRays: pixel ${p} outside a ${W}×${H} image`);
    const i = p % W;
    const j = (p - i) / W;
    const x = (i - W * 0.5) / focal;
    const y = -(j - H * 0.5) / focal;
    let nn = 0;
    for (let r = 0; r < 3; r++) {
      const d = pose[r * 4]! * x + pose[r * 4 + 1]! * y - pose[r * 4 + 2]!;
      dirs[k * 3 + r] = d;
      origins[k * 3 + r] = pose[r * 4 + 3]!;
      nn += d * d;
    }
    nn = Math.sqrt(nn);
    for (let r = 0; r < 3; r++) viewdirs[k * 3 + r] = dirs[k * 3 + r]! / nn;
  }
  return { n, origins, dirs, viewdirs };
}

/**
 * nerf's `ndc_rays`: shift origins to the plane z = -near, then project into normalised device
 * coordinates where the frustum z ∈ [-near, -∞) maps to [-1, 1]; sample t ∈ [0, 1] afterwards.
 * Keeps `viewdirs` (the network sees world-space directions).
 */
export function ndcRays(H: number, W: number, focal: number, near: number, rays: Rays): Rays {
  const { n } = rays;
  const origins = new Float32Array(n * 3);
  const dirs = new Float32Array(n * 3);
  const ax = -1 / (W / (2 * focal));
  const ay = -1 / (H / (2 * focal));
  for (let k = 0; k < n; k++) {
    let ox = rays.origins[k * 3]!, oy = rays.origins[k * 3 + 1]!, oz = rays.origins[k * 3 + 2]!;
    const dx = rays.dirs[k * 3]!, dy = rays.dirs[k * 3 + 1]!, dz = rays.dirs[k * 3 + 2]!;
    const t = -(near + oz) / dz;
    ox += t * dx; oy += t * dy; oz += t * dz;
    origins[k * 3] = (ax * ox) / oz;
    origins[k * 3 + 1] = (ay * oy) / oz;
    origins[k * 3 + 2] = 1 + (2 * near) / oz;
    dirs[k * 3] = ax * (dx / dz - ox / oz);
    dirs[k * 3 + 1] = ay * (dy / dz - oy / oz);
    dirs[k * 3 + 2] = (-2 * near) / oz;
  }
  return { n, origins, dirs, viewdirs: rays.viewdirs };
}

/** The rays a scene trains on: NDC-warped (near plane 1) for forward-facing scenes. */
export function sceneRays(scene: { H: number; W: number; focal: number; ndc: boolean }, pose: ArrayLike<number>, pixels?: ArrayLike<number>): Rays {
  const r = getRays(scene.H, scene.W, scene.focal, pose, pixels);
  return scene.ndc ? ndcRays(scene.H, scene.W, scene.focal, 1, r) : r;
}

/** Concatenate ray sets (for batches drawn from several images). */
export function concatRays(parts: Rays[]): Rays {
  const n = parts.reduce((a, p) => a + p.n, 0);
  const out: Rays = { n, origins: new Float32Array(n * 3), dirs: new Float32Array(n * 3), viewdirs: new Float32Array(n * 3) };
  let o = 0;
  for (const p of parts) {
    out.origins.set(p.origins, o * 3);
    out.dirs.set(p.dirs, o * 3);
    out.viewdirs.set(p.viewdirs, o * 3);
    o += p.n;
  }
  return out;
}

/** Rays [start, start+count) of a set. */
export function sliceRays(r: Rays, start: number, count: number): Rays {
  const e = Math.min(r.n, start + count);
  return {
    n: e - start,
    origins: r.origins.subarray(start * 3, e * 3),
    dirs: r.dirs.subarray(start * 3, e * 3),
    viewdirs: r.viewdirs.subarray(start * 3, e * 3),
  };
}
