/** What the training loop needs from a task: its variables, batches, loss through a Feedback, and evaluation. */
import type * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import type { Feedback } from '../feedback';
import type { ParamGroup } from './optim/optimizer';

export interface Metric {
  /** e.g. 'accuracy (%)' */
  name: string;
  higherIsBetter: boolean;
}

export interface EvalResult {
  loss: number;
  metric: number;
}

export interface TrainTask<B = unknown> {
  readonly name: string;
  readonly metric: Metric;
  /** Trainable variables under stable names (checkpoint keys). */
  namedVariables(): Record<string, tf.Variable>;
  /** Weight decay / lr multiplier per group (variables outside every group use the optimizer's defaults). */
  paramGroups?(): ParamGroup[];
  /** The training batches of one epoch (1-based), shuffled with `rng`, a fresh stream per epoch. */
  batches(epoch: number, rng: Rng): Iterable<B>;
  /** Scalar training loss of a batch, forward through `fb` (point/output/dense); `rng` drives dropout. */
  loss(batch: B, fb: Feedback, rng: Rng): tf.Scalar;
  /** Loss and metric on a split, without dropout. */
  evaluate(split: 'val' | 'test'): EvalResult;
  /** A deterministic loss (no dropout) on a fixed batch, for alignment measurements. */
  alignmentLoss?(fb: Feedback): tf.Scalar;
  /** For DFA's matrix angles: per feedback point, the forward weights on its path to the output. */
  pathWeights?(): Record<string, tf.Tensor[]>;
  /** Anything to record in the run's config (architecture, data sizes). */
  describe?(): Record<string, unknown>;
  dispose(): void;
}
