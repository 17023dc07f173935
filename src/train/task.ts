/**
 * What the one training loop (trainer.ts) needs from a task: its variables, batches, the loss
 * through a Feedback, and evaluation. Every suite (toy MLPs, graphs full-batch, streamed Criteo,
 * NeRF ray batches, LM token batches) and the playground supply a task, not a loop.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import type { Feedback, Method, SignalOptions } from '../feedback';
import type { ParamGroup } from '../optim/optimizer';

export interface Metric {
  /** e.g. 'accuracy (%)' */
  name: string;
  higherIsBetter: boolean;
}

export interface EvalResult {
  /** the selection metric (Metric) on the split */
  metric: number;
  loss: number;
  /** other numbers worth keeping (log loss, PSNR of a second network, ...) */
  extra?: Record<string, number>;
}

/**
 * Step-local sparse parameters a task registers in its forward (`ctx.sparse`): e.g. the rows of an
 * embedding table a batch touches, trained by their own (lazy) update instead of the dense
 * optimizer, and counted in global-norm clipping.
 */
export interface SparseParam {
  /** what the forward uses; its gradient is the step's */
  readonly gathered: tf.Variable;
  /** squared norm of the gradient as the update sees it (e.g. summed per table row) */
  sqNorm(grad: Float32Array): number;
  /** apply the gradient, scaled by clipScale (1: no clipping), at the step's learning rate */
  apply(grad: Float32Array, lr: number, clipScale: number): void;
  dispose(): void;
}

export interface StepContext {
  /** training randomness of the forward (dropout masks, noise) */
  rng: Rng;
  epoch: number;
  /** global step, from 1 */
  step: number;
  /** register sparse parameters for this step; returns what the forward should use */
  sparse(p: SparseParam): tf.Tensor;
}

export interface TrainTask<B = unknown> {
  readonly name: string;
  /** the validation metric that selects the best epoch, stops early and drives plateau schedules */
  readonly metric: Metric;
  /** Trainable (dense) variables under stable names (checkpoint keys). */
  namedVariables(): Record<string, tf.Variable>;
  /** Weight decay / lr multiplier per group (variables outside every group use the optimizer's defaults). */
  paramGroups?(): ParamGroup[];
  /**
   * The training batches of one epoch (1-based), shuffled with `rng`. Full-batch tasks yield one.
   * A stream that runs on across epochs (TrainConfig.stepsPerEpoch) may be endless.
   */
  batches(epoch: number, rng: Rng): Iterable<B>;
  /** Scalar training loss of a batch, forward through `fb` (point/output/dense). */
  loss(batch: B, fb: Feedback, ctx: StepContext): tf.Scalar;
  /** Loss and metric on a split, without dropout. */
  evaluate(split: 'val' | 'test'): EvalResult;
  /**
   * The Feedback this task's model needs (its widths, matrix streams); default: new Feedback({
   * method, rng, ...signal }). `signal`: the run's signal options (TrainConfig.feedback; `{}` when
   * none), to be merged into the options it creates the Feedback with (the Trainer checks that).
   */
  createFeedback?(method: Method, rng: Rng, signal: SignalOptions): Feedback;
  /** A deterministic loss (no dropout) on a fixed batch, for alignment measurements. */
  alignmentLoss?(fb: Feedback): tf.Scalar;
  /** For DFA's matrix angles: per feedback point, the forward weights on its path to the output. */
  pathWeights?(): Record<string, tf.Tensor[]>;
  /** Learned state outside namedVariables (BatchNorm statistics, sparse tables, a data stream's position), for checkpoints. */
  getState?(): unknown;
  setState?(state: unknown): void;
  /** Settings that define the run (architecture, data, sizes): recorded, and compared on resume. */
  describe?(): Record<string, unknown>;
  dispose(): void;
}
