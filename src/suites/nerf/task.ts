/**
 * NeRF / Tiny-NeRF on a loaded scene as a TrainTask for the core loop (src/train/trainer.ts):
 * a batch is one step's random rays from one random training image (nerf's `no_batching`, with
 * its centre pre-crop for the first steps; several images per batch for LLFF), drawn from an
 * endless stream; the loss is MSE_coarse + MSE_fine through one Feedback whose two named outputs
 * ('coarse', 'fine') have their own DFA matrices; evaluation renders held-out views (PSNR).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../engine/rng';
import { Feedback, type Method, type SignalOptions } from '../../feedback';
import type { EvalResult, Metric, TrainTask } from '../../train/task';
import { cameraOf, type NerfScene, type NerfView } from './data/scene';
import { evaluateNerf } from './evaluate';
import type { NeRF } from './models/nerf';
import { concatRays, sceneRays, type Rays } from './models/rays';

export interface NerfBatchOptions {
  batchRays: number;
  /** Std of the noise added to raw density during training (nerf: 1 for LLFF, 0 for Blender). */
  noiseStd?: number;
  /** For the first `precropIters` steps, sample only the central `precropFrac` of each image. */
  precropIters?: number;
  precropFrac?: number;
  /** Images each batch's rays come from (1 = nerf's no_batching). */
  imagesPerBatch?: number;
}

export interface NerfBatch {
  rays: Rays;
  /** n*3 target colours */
  target: Float32Array;
  /** the step's stream: its depths, density noise and inverse-CDF samples */
  rng: Rng;
}

/** Draw a batch of rays and target colours. */
export function sampleBatch(scene: NerfScene, views: NerfView[], n: number, rng: Rng, crop = 1, imagesPerBatch = 1): { rays: Rays; target: Float32Array } {
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

/** Why NeRF has no drtp run (the zoo's note, the error a user who asks for it gets). */
export const DRTP_UNDEFINED = 'drtp is undefined for NeRF: it projects a class target (Frenkel et al. 2021, classification), and NeRF regresses colours and densities (no class target to project)';

export class NerfTask implements TrainTask<NerfBatch> {
  readonly name = 'nerf';
  readonly metric: Metric = { name: 'PSNR (dB)', higherIsBetter: true };
  /** Each network's MSE in the last training step (fine: null without a fine network). */
  lastMse = { coarse: NaN, fine: null as number | null };
  /** The next step's index in the ray stream (0-based; a checkpoint keeps it). */
  private nextStep = 0;
  private readonly root: Rng;

  /**
   * `seed` fixes the ray stream: step s draws from new Rng(seed).fork('train').fork(`step${s}`),
   * whatever the epoch length. `sceneName` and the scene's camera and render path are recorded
   * with the run (describe), so `dfa render` needs no data folder.
   */
  constructor(
    readonly model: NeRF,
    readonly scene: NerfScene,
    readonly opts: NerfBatchOptions & { seed: number; sceneName?: string; evalViews?: { val?: NerfView[]; test?: NerfView[] } },
  ) {
    if (!scene.train.length) throw new Error('NerfTask: the scene has no training views');
    this.root = new Rng(opts.seed).fork('train');
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.model.namedVariables();
  }

  *batches(): Iterable<NerfBatch> {
    const o = this.opts;
    for (;;) {
      const step = this.nextStep++;
      const rng = this.root.fork(`step${step}`);
      const crop = step < (o.precropIters ?? 0) ? (o.precropFrac ?? 0.5) : 1;
      yield { ...sampleBatch(this.scene, this.scene.train, o.batchRays, rng.fork('batch'), crop, o.imagesPerBatch ?? 1), rng };
    }
  }

  loss(batch: NerfBatch, fb: Feedback): tf.Scalar {
    const r = this.model.trainingLoss(fb, batch.rays, batch.target, this.scene, batch.rng, this.opts.noiseStd ?? 0);
    this.lastMse = { coarse: r.mseCoarse.dataSync()[0]!, fine: r.mseFine ? r.mseFine.dataSync()[0]! : null };
    return r.loss;
  }

  /** Mean PSNR of the split's views (test: the views given, default all). Renders every pixel. */
  evaluate(split: 'val' | 'test'): EvalResult {
    const views = this.opts.evalViews?.[split] ?? this.scene[split];
    if (!views.length) throw new Error(`NerfTask: the scene has no ${split} views to evaluate`);
    const ev = evaluateNerf(this.model, this.scene, views);
    return { metric: ev.psnr, loss: ev.mse, extra: { psnrCoarse: ev.psnrCoarse } };
  }

  /**
   * Both networks in one Feedback: a DFA matrix per named output, as wide as the network. drtp is
   * undefined here: it projects a class target, and NeRF regresses colours and densities.
   */
  createFeedback(method: Method, rng: Rng, signal: SignalOptions = {}): Feedback {
    if (method === 'drtp') throw new Error(DRTP_UNDEFINED);
    return new Feedback({ method, rng, maxWidth: this.model.cfg.width, outDim: 4, ...signal });
  }

  getState(): { nextStep: number } {
    return { nextStep: this.nextStep };
  }

  setState(s: unknown): void {
    const n = (s as { nextStep?: unknown } | null)?.nextStep;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new Error(`NerfTask: checkpoint task state has no valid nextStep (${JSON.stringify(s)})`);
    this.nextStep = n;
  }

  describe(): Record<string, unknown> {
    const o = this.opts;
    return {
      model: this.model.cfg,
      scene: o.sceneName ?? this.scene.kind,
      camera: cameraOf(this.scene),
      renderPoses: this.scene.renderPoses.map((p) => Array.from(p)),
      batchRays: o.batchRays,
      noiseStd: o.noiseStd ?? 0,
      precropIters: o.precropIters ?? 0,
      precropFrac: o.precropFrac ?? 0.5,
      imagesPerBatch: o.imagesPerBatch ?? 1,
    };
  }

  /** The model belongs to the caller (it is evaluated and rendered after training). */
  dispose(): void {}
}
