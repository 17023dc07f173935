/**
 * Training and evaluating NeRF / Tiny-NeRF on a loaded scene: random rays from one random
 * training image per step (nerf's `no_batching`, with its centre pre-crop for the first steps),
 * Adam, PSNR on held-out views rendered in chunks.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../engine/rng';
import type { Method } from '../../feedback';
import type { NerfScene, NerfView } from './data/scene';
import { NeRF, nerfFeedback } from './models/nerf';
import { concatRays, sceneRays } from './models/rays';
import { psnrFromMse } from './models/render';

export interface TrainOptions {
  method: Method;
  iters: number;
  batchRays: number;
  lr: number;
  seed: number;
  /** Std of the noise added to raw density during training (nerf: 1 for LLFF, 0 for Blender). */
  noiseStd?: number;
  /** For the first `precropIters` steps, sample only the central `precropFrac` of each image. */
  precropIters?: number;
  precropFrac?: number;
  /** Images each batch's rays come from (1 = nerf's no_batching). */
  imagesPerBatch?: number;
  onStep?: (step: number, info: { mse: number; psnr: number }) => void;
}

export interface TrainResult {
  seconds: number;
  raysPerSec: number;
  /** Achieved GFLOP/s of the MLP GEMMs (forward + the backward this method runs), see mlpFlopsPerRay. */
  mlpGflops: number;
  /** Training PSNR of the last network, averaged over the last 10% of steps. */
  trainPsnr: number;
  losses: number[];
}

/** Draw a batch of rays and target colours. */
export function sampleBatch(scene: NerfScene, views: NerfView[], n: number, rng: Rng, crop = 1, imagesPerBatch = 1) {
  const { H, W } = scene;
  const parts = [];
  const target = new Float32Array(n * 3);
  let o = 0;
  for (let k = 0; k < imagesPerBatch; k++) {
    const m = Math.floor(n / imagesPerBatch) + (k < n % imagesPerBatch ? 1 : 0);
    const v = views[rng.int(views.length)]!;
    const ch = Math.max(1, Math.round(H * crop));
    const cw = Math.max(1, Math.round(W * crop));
    const y0 = Math.floor((H - ch) / 2);
    const x0 = Math.floor((W - cw) / 2);
    const pix = new Int32Array(m);
    for (let i = 0; i < m; i++) pix[i] = (y0 + rng.int(ch)) * W + x0 + rng.int(cw);
    parts.push(sceneRays(scene, v.pose, pix));
    for (let i = 0; i < m; i++) for (let c = 0; c < 3; c++) target[(o + i) * 3 + c] = v.image[pix[i]! * 3 + c]!;
    o += m;
  }
  return { rays: parts.length === 1 ? parts[0]! : concatRays(parts), target };
}

export function trainNerf(model: NeRF, scene: NerfScene, opts: TrainOptions): TrainResult {
  if (!scene.train.length) throw new Error('trainNerf: the scene has no training views');
  const rng = new Rng(opts.seed).fork('train');
  const fb = nerfFeedback(opts.method, opts.seed, model);
  const optimizer = tf.train.adam(opts.lr, 0.9, 0.999, 1e-7);
  const losses: number[] = [];
  const psnrs: number[] = [];
  const t0 = Date.now();
  for (let step = 0; step < opts.iters; step++) {
    const srng = rng.fork(`step${step}`);
    const crop = step < (opts.precropIters ?? 0) ? (opts.precropFrac ?? 0.5) : 1;
    const { rays, target } = sampleBatch(scene, scene.train, opts.batchRays, srng.fork('batch'), crop, opts.imagesPerBatch ?? 1);
    const r = model.computeGrads(rays, target, scene, fb, srng, opts.noiseStd ?? 0);
    const last = r.mseFine ?? r.mseCoarse;
    if (!Number.isFinite(last)) throw new Error(`NeRF training diverged at step ${step} (${opts.method}): loss ${last}`);
    const named = [...r.grads].map(([v, g]) => ({ name: v.name, tensor: g }));
    optimizer.applyGradients(named);
    tf.dispose(named.map((x) => x.tensor));
    losses.push(r.mseCoarse + (r.mseFine ?? 0));
    psnrs.push(psnrFromMse(last));
    opts.onStep?.(step + 1, { mse: last, psnr: psnrFromMse(last) });
  }
  const seconds = (Date.now() - t0) / 1000;
  optimizer.dispose();
  fb.coarse.dispose();
  fb.fine?.dispose();
  const tail = psnrs.slice(Math.floor(psnrs.length * 0.9));
  const raysPerSec = (opts.iters * opts.batchRays) / seconds;
  return { seconds, raysPerSec, mlpGflops: (raysPerSec * mlpFlopsPerRay(model, opts.method)) / 1e9, trainPsnr: tail.reduce((a, b) => a + b, 0) / Math.max(1, tail.length), losses };
}

/**
 * FLOPs (2 × multiply-accumulates) of the MLP GEMMs per training ray: forward, plus backward as
 * each method runs it. BP: every dW and every dX except the first layer's. DFA: every dW, no dX
 * (every layer's input is a detached feedback point or data), plus e·B at each point. Shallow:
 * the dW of the output layers only. Encoding, rendering and Adam are not counted.
 */
export function mlpFlopsPerRay(model: NeRF, method: Method): number {
  const nets: Array<[NeRF['coarse'], number]> = [[model.coarse, model.cfg.nSamples]];
  if (model.fine) nets.push([model.fine, model.cfg.nSamples + model.cfg.nImportance]);
  let macs = 0;
  for (const [net, pts] of nets) {
    // Per layer: m = MACs on the main input (an activation), mx = MACs on a data input (skip, direction).
    const layers = net.layers.map((l) => ({ name: l.name, m: l.W.shape[0]! * l.W.shape[1]!, mx: (l.Wx?.shape[0] ?? 0) * l.W.shape[1]!, out: l.W.shape[1]! }));
    const fwd = layers.reduce((a, l) => a + l.m + l.mx, 0);
    const outputs = layers.filter((l) => /\/(out|alpha|rgb)$/.test(l.name));
    let bwd: number;
    if (method === 'dfa') bwd = fwd + layers.filter((l) => !outputs.includes(l)).reduce((a, l) => a + 4 * l.out, 0);
    else if (method === 'shallow') bwd = outputs.reduce((a, l) => a + l.m + l.mx, 0);
    else bwd = fwd + layers.slice(1).reduce((a, l) => a + l.m, 0);
    macs += pts * (fwd + bwd);
  }
  return 2 * macs;
}

/** The engine's GEMM rate on a NeRF-shaped product ([32768, 256] × [256, 256]), best of 5, GFLOP/s. */
export function gemmPeakGflops(): number {
  const a = tf.randomUniform([32768, 256], -1, 1, 'float32', 1);
  const b = tf.randomUniform([256, 256], -1, 1, 'float32', 2);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    best = Math.min(best, performance.now() - t);
    c.dispose();
  }
  tf.dispose([a, b]);
  return (2 * 32768 * 256 * 256) / (best / 1000) / 1e9;
}

export interface EvalResult {
  psnr: number;
  psnrCoarse: number;
  psnrDual: number | null;
  /** Rendered images (H*W*3) of the last network, one per view. */
  images: Float32Array[];
  imagesDual: Float32Array[];
}

/** PSNR over held-out views: mean of per-image PSNRs, as nerf reports. */
export function evaluateNerf(model: NeRF, scene: NerfScene, views: NerfView[], opts: { chunk?: number; dual?: boolean; onView?: (i: number) => void } = {}): EvalResult {
  const p: number[] = [], pc: number[] = [], pd: number[] = [];
  const images: Float32Array[] = [], imagesDual: Float32Array[] = [];
  views.forEach((v, i) => {
    const rays = sceneRays(scene, v.pose);
    const r = model.render(rays, scene, { chunk: opts.chunk, dual: opts.dual });
    p.push(psnrFromMse(mseArr(r.rgb, v.image)));
    pc.push(psnrFromMse(mseArr(r.rgbCoarse, v.image)));
    if (r.rgbDual) {
      pd.push(psnrFromMse(mseArr(r.rgbDual, v.image)));
      imagesDual.push(r.rgbDual);
    }
    images.push(r.rgb);
    opts.onView?.(i + 1);
  });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { psnr: mean(p), psnrCoarse: mean(pc), psnrDual: pd.length ? mean(pd) : null, images, imagesDual };
}

function mseArr(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return s / a.length;
}
