/** One NeRF run of a reproduce table: train (core loop, saved for `dfa render`), render the held-out views, report. */
import { join } from 'node:path';
import { Progress } from '../../../command/progress';
import type { Method } from '../../../feedback';
import { FileCheckpointStore } from '../../../train/checkpoint_fs';
import type { NerfScene, NerfView } from '../data/scene';
import { evaluateNerf, type NerfEvalResult } from '../evaluate';
import { NeRF, type NerfConfig } from '../models/nerf';
import { gemmPeakGflops } from '../speed';
import { trainNerf, type TrainResult } from '../train';

export interface RunSpec {
  scene: NerfScene;
  sceneName: string;
  cfg: NerfConfig;
  method: Method;
  seed: number;
  iters: number;
  /** steps per epoch (saved after each; default iters) */
  epochSteps?: number;
  rays: number;
  lr: number;
  noise: number;
  precrop: number;
  imagesPerBatch: number;
  testViews: NerfView[];
  /** the run is saved in <out>/<scene>-<method>-seed<k> */
  out: string;
  dual: boolean;
}

export function runDir(out: string, sceneName: string, method: Method, seed: number): string {
  return join(out, `${sceneName}-${method}-seed${seed}`);
}

export async function trainAndEval(s: RunSpec): Promise<{ tr: TrainResult; ev: NerfEvalResult }> {
  const model = new NeRF(s.cfg, s.seed);
  try {
    const bar = new Progress(s.iters, `${s.sceneName} ${s.method} seed ${s.seed}`);
    const tr = await trainNerf(model, s.scene, {
      method: s.method, iters: s.iters, epochSteps: s.epochSteps, batchRays: s.rays, lr: s.lr, seed: s.seed, noiseStd: s.noise,
      precropIters: s.precrop, precropFrac: 0.5, imagesPerBatch: s.imagesPerBatch, sceneName: s.sceneName, testViews: s.testViews,
      store: new FileCheckpointStore(runDir(s.out, s.sceneName, s.method, s.seed)),
      onStep: (k, i) => bar.update(k, { psnr: i.psnr }),
    });
    const evBar = new Progress(s.testViews.length, `  render ${s.testViews.length} test views`);
    const ev = evaluateNerf(model, s.scene, s.testViews, { dual: s.dual, onView: (i) => evBar.update(i) });
    console.error(`  ${s.sceneName} ${s.method}: test PSNR ${ev.psnr.toFixed(2)} dB${ev.psnrDual !== null ? ` (dual ${ev.psnrDual.toFixed(2)})` : ''}, train PSNR ${tr.trainPsnr.toFixed(2)}, ${tr.seconds.toFixed(0)} s (${tr.raysPerSec.toFixed(0)} rays/s, MLP ${tr.mlpGflops.toFixed(1)} GFLOP/s)`);
    return { tr, ev };
  } finally {
    model.dispose();
  }
}

let peak: number | null = null;
/** Training speed and the MLP's share of the engine's GEMM rate measured in this process. */
export function throughput(tr: { raysPerSec: number; mlpGflops: number }): string {
  peak ??= gemmPeakGflops();
  return `${tr.raysPerSec.toFixed(0)} training rays/s, MLP ${tr.mlpGflops.toFixed(1)} GFLOP/s = ${((100 * tr.mlpGflops) / peak).toFixed(0)}% of the ${peak.toFixed(1)} GFLOP/s GEMM peak measured in this run`;
}

/** n items spread evenly over xs (all of them when n >= their count). */
export function evenly<T>(xs: T[], n: number): T[] {
  if (n >= xs.length) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);
}
