/**
 * Training NeRF / Tiny-NeRF on a loaded scene with the core loop: the NerfTask (task.ts) run by
 * `train()` for `iters` steps of Adam (nerf's betas, epsilon 1e-7), in epochs of `epochSteps`
 * steps on the task's endless ray stream, the model saved through the core checkpoint store after
 * each epoch, and the training PSNR of every step kept through the `onStep` hook.
 */
import type { Method } from '../../feedback';
import type { CheckpointStore } from '../../train/checkpoint';
import { train } from '../../train/trainer';
import type { NerfScene, NerfView } from './data/scene';
import type { NeRF } from './models/nerf';
import { psnrFromMse } from './models/render';
import { NERF_ADAM } from './paper';
import { mlpFlopsPerRay } from './speed';
import { NerfTask, type NerfBatchOptions } from './task';

export interface TrainOptions extends NerfBatchOptions {
  method: Method;
  iters: number;
  /** Steps per epoch (the model is saved after each); must divide `iters`. Default `iters`: one epoch. */
  epochSteps?: number;
  lr: number;
  seed: number;
  /** Recorded with the run (default the scene's kind). */
  sceneName?: string;
  /** Held-out views for the task's evaluate('test') (default all test views). */
  testViews?: NerfView[];
  /** Where the run is saved after every epoch. */
  store?: CheckpointStore;
  /** Resume from the store's checkpoint when it has one (default false: a fresh run overwrites it). */
  resume?: boolean;
  onStep?: (step: number, info: { mse: number; psnr: number }) => void;
}

export interface TrainResult {
  seconds: number;
  raysPerSec: number;
  /** Achieved GFLOP/s of the MLP GEMMs (forward + the backward this method runs), see mlpFlopsPerRay. */
  mlpGflops: number;
  /** Training PSNR of the last network, averaged over the last 10% of the steps run in this call. */
  trainPsnr: number;
  /** MSE_coarse + MSE_fine per step run in this call */
  losses: number[];
  /** true when a checkpoint in the store was resumed */
  resumed: boolean;
}

export async function trainNerf(model: NeRF, scene: NerfScene, opts: TrainOptions): Promise<TrainResult> {
  const epochSteps = opts.epochSteps ?? opts.iters;
  if (!Number.isInteger(opts.iters) || opts.iters < 1) throw new Error(`trainNerf: iters must be a positive integer, got ${opts.iters}`);
  if (!Number.isInteger(opts.batchRays) || opts.batchRays < 1) throw new Error(`trainNerf: batchRays must be a positive integer, got ${opts.batchRays}`);
  if (!Number.isInteger(epochSteps) || epochSteps < 1 || opts.iters % epochSteps !== 0) {
    throw new Error(`trainNerf: the epoch length (${epochSteps} steps) must divide the ${opts.iters} training steps`);
  }
  const task = new NerfTask(model, scene, { ...opts, ...(opts.testViews ? { evalViews: { test: opts.testViews } } : {}) });
  const losses: number[] = [];
  const psnrs: number[] = [];
  const res = await train(task, {
    method: opts.method, seed: opts.seed, epochs: opts.iters / epochSteps, stepsPerEpoch: epochSteps,
    optimizer: { name: 'adam', lr: opts.lr, ...NERF_ADAM },
    // held-out views are rendered by the caller after training (with images and NeRF-Dual)
    evalEvery: 0, alignEvery: 0,
  }, {
    store: opts.store,
    resume: opts.resume ?? false,
    onStep: ({ step }) => {
      const { coarse, fine } = task.lastMse;
      const last = fine ?? coarse;
      losses.push(coarse + (fine ?? 0));
      psnrs.push(psnrFromMse(last));
      opts.onStep?.(step, { mse: last, psnr: psnrFromMse(last) });
    },
  });
  const seconds = res.epochs.reduce((a, e) => a + e.seconds, 0);
  const tail = psnrs.slice(Math.floor(psnrs.length * 0.9));
  const raysPerSec = (opts.iters * opts.batchRays) / seconds;
  return { seconds, raysPerSec, mlpGflops: (raysPerSec * mlpFlopsPerRay(model, opts.method)) / 1e9, trainPsnr: tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : NaN, losses, resumed: res.resumed };
}
