/**
 * One NeRF run of a reproduce table, from its JSON parameters alone (any process, any machine with
 * the code and the data): load the scene, train with the core loop (saved after every epoch for
 * `dfa render`; into the run's checkpoint folder when the table checkpoints, resumed from there on
 * a retry), render the held-out views (saved as PNGs beside the model), report the PSNRs and the
 * speed.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeterministicRunError, type RunContext, type RunOutcome } from '../../../command/experiment';
import { encodePngRgb } from '../../../data/png';
import { backendName } from '../../../engine/backend';
import type { Method } from '../../../feedback';
import { FileCheckpointStore } from '../../../train/checkpoint_fs';
import { TrainingDivergedError } from '../../../train/trainer';
import type { NerfScene } from '../data/scene';
import { evaluateNerf } from '../evaluate';
import { NeRF, type NerfConfig } from '../models/nerf';
import { gemmPeakGflops } from '../speed';
import { trainNerf } from '../train';
import { loadScene, sceneFolder, type SceneSpec } from './scenes';

/** Everything one run needs and every setting that changes its result. */
export interface NerfRunParams {
  scene: SceneSpec;
  model: NerfConfig;
  method: Method;
  seed: number;
  /** training steps, in epochs of `epochSteps` (saved after each; null: one epoch) */
  iters: number;
  epochSteps: number | null;
  rays: number;
  lr: number;
  /** std of the noise on the raw density in training */
  noise: number;
  /** steps sampling only the central half of each image first */
  precrop: number;
  /** images a batch's rays come from, at most (LLFF: several) */
  imagesPerBatch: number;
  /** held-out views scored: this many spread evenly over the test split, or null for all */
  testViews: number | null;
  /** also score NeRF-Dual (appendix E) */
  dual: boolean;
  /** where the trained model and renders go (when the table does not checkpoint elsewhere) */
  modelDir: string;
}

export interface NerfRunResult {
  /** mean PSNR (dB) over the held-out views: the last network, the coarse one, NeRF-Dual */
  psnr: number;
  psnrCoarse: number;
  psnrDual: number | null;
  /** training PSNR of the last network over the last 10% of steps */
  trainPsnr: number;
  seconds: number;
  raysPerSec: number;
  mlpGflops: number;
  /** the engine's GEMM rate measured in the process that ran this */
  gemmPeakGflops: number;
  backend: string;
  /** image size trained and rendered, and the held-out views scored */
  W: number;
  H: number;
  views: number;
  /** the trained model ('dfa render <modelDir>') and the held-out renders (PNG, one per view) */
  modelDir: string;
  renders: string[];
  rendersDual: string[];
  resumed: boolean;
}

/** Where a table saves a run's model by default: <out>/<scene>-<method>-seed<k>. */
export function runDir(out: string, sceneName: string, method: Method, seed: number): string {
  return join(out, `${sceneName}-${method}-seed${seed}`);
}

/** n items spread evenly over xs (all of them when n >= their count). */
export function evenly<T>(xs: T[], n: number): T[] {
  if (n >= xs.length) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);
}

/** The held-out views a run scores. */
export function testViewsOf(scene: NerfScene, p: Pick<NerfRunParams, 'testViews'>) {
  return p.testViews === null ? scene.test : evenly(scene.test, p.testViews);
}

let peak: number | null = null;

export async function runNerf(p: NerfRunParams, ctx: RunContext): Promise<NerfRunResult> {
  let scene: NerfScene;
  try {
    scene = loadScene(p.scene);
  } catch (e) {
    throw new DeterministicRunError(`scene ${p.scene.name} (${sceneFolder(p.scene)}): ${(e as Error).message}`);
  }
  const views = testViewsOf(scene, p);
  if (!views.length) throw new DeterministicRunError(`scene ${p.scene.name} (${sceneFolder(p.scene)}) has no held-out views to score`);
  const dir = ctx.checkpointDir ?? p.modelDir;
  const label = `${p.scene.name} ${p.method} seed ${p.seed}`;
  const model = new NeRF(p.model, p.seed);
  try {
    const tr = await trainNerf(model, scene, {
      method: p.method, iters: p.iters, epochSteps: p.epochSteps ?? undefined, batchRays: p.rays, lr: p.lr, seed: p.seed, noiseStd: p.noise,
      precropIters: p.precrop, precropFrac: 0.5, imagesPerBatch: Math.min(scene.train.length, p.imagesPerBatch), sceneName: p.scene.name,
      testViews: views, store: new FileCheckpointStore(dir), resume: ctx.checkpointDir !== undefined,
      onStep: (k, i) => ctx.progress((0.9 * k) / p.iters, { psnr: i.psnr.toFixed(2) }),
    }).catch((e: unknown) => {
      if (e instanceof TrainingDivergedError) throw new DeterministicRunError(`${label}: training diverged: ${e.message}`);
      throw e;
    });
    const ev = evaluateNerf(model, scene, views, { dual: p.dual, onView: (i) => ctx.progress(0.9 + (0.1 * i) / views.length, { 'rendered views': i }) });
    mkdirSync(dir, { recursive: true });
    const save = (imgs: Float32Array[], kind: string) => imgs.map((data, i) => {
      const file = join(dir, `${kind}_${String(i).padStart(2, '0')}.png`);
      writeFileSync(file, encodePngRgb({ width: scene.W, height: scene.H, data }));
      return file;
    });
    peak ??= gemmPeakGflops();
    ctx.log(`  ${label}: test PSNR ${ev.psnr.toFixed(2)} dB${ev.psnrDual !== null ? ` (dual ${ev.psnrDual.toFixed(2)})` : ''}, train PSNR ${tr.trainPsnr.toFixed(2)}, ${tr.seconds.toFixed(0)} s (${tr.raysPerSec.toFixed(0)} rays/s, MLP ${tr.mlpGflops.toFixed(1)} GFLOP/s)`);
    return {
      psnr: ev.psnr, psnrCoarse: ev.psnrCoarse, psnrDual: ev.psnrDual, trainPsnr: tr.trainPsnr, seconds: tr.seconds, raysPerSec: tr.raysPerSec,
      mlpGflops: tr.mlpGflops, gemmPeakGflops: peak, backend: backendName(), W: scene.W, H: scene.H, views: views.length,
      modelDir: dir, renders: save(ev.images, 'test'), rendersDual: save(ev.imagesDual, 'test_dual'), resumed: tr.resumed,
    };
  } finally {
    model.dispose();
  }
}

/** Training speed and the MLP's share of the engine's GEMM rate measured with the run. */
export function throughput(r: Pick<NerfRunResult, 'raysPerSec' | 'mlpGflops' | 'gemmPeakGflops'>): string {
  return `${r.raysPerSec.toFixed(0)} training rays/s, MLP ${r.mlpGflops.toFixed(1)} GFLOP/s = ${((100 * r.mlpGflops) / r.gemmPeakGflops).toFixed(0)}% of the ${r.gemmPeakGflops.toFixed(1)} GFLOP/s GEMM peak measured in this run`;
}

export const okResult = (x: RunOutcome<NerfRunResult> | undefined): NerfRunResult | undefined => (x?.ok ? x.result : undefined);

/** The `dfa render` hint for the first of `results` whose model was trained and saved, or nothing. */
export function renderHint(out: string, results: Array<NerfRunResult | undefined>): string[] {
  const r = results.find((x) => x && existsSync(join(x.modelDir, 'checkpoint.json')));
  return r ? [`trained models under ${out}/ ('dfa render ${r.modelDir}' renders a novel-view path)`] : [];
}
