/** Scoring a NeRF on held-out views: each view rendered in chunks, PSNR per image, averaged as nerf reports. */
import type { NerfScene, NerfView } from './data/scene';
import type { NeRF } from './models/nerf';
import { sceneRays } from './models/rays';
import { psnrFromMse } from './models/render';

export interface NerfEvalResult {
  /** mean over views of the per-image PSNR of the last network (fine if any) */
  psnr: number;
  psnrCoarse: number;
  /** NeRF-Dual (appendix E), with `dual` and a fine network */
  psnrDual: number | null;
  /** mean over views of the per-image MSE of the last network */
  mse: number;
  /** Rendered images (H*W*3) of the last network, one per view. */
  images: Float32Array[];
  imagesDual: Float32Array[];
}

export function evaluateNerf(model: NeRF, scene: NerfScene, views: NerfView[], opts: { chunk?: number; dual?: boolean; onView?: (i: number) => void } = {}): NerfEvalResult {
  const p: number[] = [], pc: number[] = [], pd: number[] = [], m: number[] = [];
  const images: Float32Array[] = [], imagesDual: Float32Array[] = [];
  views.forEach((v, i) => {
    const r = model.render(sceneRays(scene, v.pose), scene, { chunk: opts.chunk, dual: opts.dual });
    m.push(mseOf(r.rgb, v.image));
    p.push(psnrFromMse(m[m.length - 1]!));
    pc.push(psnrFromMse(mseOf(r.rgbCoarse, v.image)));
    if (r.rgbDual) {
      pd.push(psnrFromMse(mseOf(r.rgbDual, v.image)));
      imagesDual.push(r.rgbDual);
    }
    images.push(r.rgb);
    opts.onView?.(i + 1);
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { psnr: mean(p), psnrCoarse: mean(pc), psnrDual: pd.length ? mean(pd) : null, mse: mean(m), images, imagesDual };
}

function mseOf(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}
