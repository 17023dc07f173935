/**
 * Link prediction with the graph auto-encoder as a TrainTask of the core Trainer: one batch per
 * epoch (the training edges against fresh negatives, drawn from the task's own stream so the
 * samples continue across epochs as the paper's loop draws them), the reconstruction loss through
 * the Feedback (DFA's error is dL/dz), and ROC AUC (the metric) and average precision on the
 * validation and test pairs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng, RngState } from '../../../engine/rng';
import { Feedback, type Method, type SignalOptions } from '../../../feedback';
import { averagePrecision } from '../../../metrics/average_precision';
import { rocAuc } from '../../../metrics/auc';
import type { EvalResult, Metric, TrainTask } from '../../../train/task';
import { negativeSampling, type EdgePairs, type LinkSplit } from '../data/link_split';
import { GraphAutoEncoder } from '../models/gae';

export class GaeTask implements TrainTask<EdgePairs> {
  readonly name = 'gae';
  readonly metric: Metric = { name: 'AUC', higherIsBetter: true };
  private z: tf.Tensor | null = null;

  /** `negatives`: the stream of the training negatives; `feedbackRng`: the Feedback's. */
  constructor(readonly model: GraphAutoEncoder, readonly split: LinkSplit, private readonly negatives: Rng, private readonly feedbackRng: Rng) {}

  namedVariables(): Record<string, tf.Variable> {
    return this.model.namedVariables();
  }

  createFeedback(method: Method, _rng: Rng, signal: SignalOptions = {}): Feedback {
    return new Feedback({ method, rng: this.feedbackRng, ...signal });
  }

  *batches(): Iterable<EdgePairs> {
    const pos = this.split.trainPos;
    yield negativeSampling(pos, this.split.numNodes, pos.src.length, this.negatives);
  }

  loss(neg: EdgePairs, fb: Feedback): tf.Scalar {
    this.forget();
    return GraphAutoEncoder.reconLoss(this.model.encode(fb), this.split.trainPos, neg);
  }

  /** AUC (and AP, loss) of the split's positive pairs against its negatives. */
  evaluate(split: 'val' | 'test'): EvalResult {
    this.z ??= tf.tidy(() => this.model.encode(null));
    const z = this.z;
    const [pos, neg] = split === 'val' ? [this.split.valPos, this.split.valNeg] : [this.split.testPos, this.split.testNeg];
    const s = tf.tidy(() => tf.sigmoid(tf.concat([GraphAutoEncoder.decode(z, pos), GraphAutoEncoder.decode(z, neg)])).dataSync() as Float32Array);
    const y = new Float32Array(s.length);
    y.fill(1, 0, pos.src.length);
    const loss = tf.tidy(() => GraphAutoEncoder.reconLoss(z, pos, neg).dataSync()[0]!);
    return { metric: rocAuc(y, s), loss, extra: { ap: averagePrecision(y, s) } };
  }

  getState(): RngState {
    return this.negatives.getState();
  }

  setState(state: unknown): void {
    this.negatives.setState(state as RngState);
  }

  forget(): void {
    this.z?.dispose();
    this.z = null;
  }

  dispose(): void {
    this.forget();
    tf.dispose(this.model.params());
  }
}
