/** A TrainTask: an MLP classifier on in-memory data, trained with softmax cross-entropy, metric accuracy (%). */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import type { Feedback } from '../feedback';
import { accuracy } from '../metrics/classification';
import { softmaxCrossEntropy } from '../metrics/losses';
import { MLP, type MLPConfig } from '../nn/mlp';
import type { ParamGroup } from '../optim/optimizer';
import type { EvalResult, Metric, StepContext, TrainTask } from '../train/task';
import type { ClassificationData } from './generated';

interface Split {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
  n: number;
}

export class MlpClassificationTask implements TrainTask<Int32Array> {
  readonly metric: Metric = { name: 'accuracy (%)', higherIsBetter: true };
  readonly model: MLP;
  private readonly splits: Record<'train' | 'val' | 'test', Split>;
  private readonly alignN: number;

  constructor(readonly name: string, data: { train: ClassificationData; val: ClassificationData; test: ClassificationData }, mlp: Omit<MLPConfig, 'inputDim' | 'outputDim'>, readonly batchSize: number) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${name}: batch size must be a positive integer, got ${batchSize}`);
    const d = data.train;
    this.model = new MLP({ ...mlp, inputDim: d.dim, outputDim: d.classes });
    const mk = (s: ClassificationData): Split => ({ x: tf.keep(tf.tensor2d(s.x, [s.n, s.dim])), y: tf.keep(tf.tensor1d(s.y, 'int32')), n: s.n });
    this.splits = { train: mk(data.train), val: mk(data.val), test: mk(data.test) };
    this.alignN = Math.min(256, d.n);
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.model.namedVariables();
  }

  /** Biases get no weight decay (the usual practice); weights take the optimizer's. */
  paramGroups(): ParamGroup[] {
    return [{ vars: this.model.layers.flatMap((l) => (l.b ? [l.b] : [])), weightDecay: 0 }];
  }

  *batches(_epoch: number, rng: Rng): Iterable<Int32Array> {
    const p = rng.permutation(this.splits.train.n);
    for (let i = 0; i < p.length; i += this.batchSize) yield p.subarray(i, Math.min(p.length, i + this.batchSize));
  }

  loss(idx: Int32Array, fb: Feedback, ctx: StepContext): tf.Scalar {
    const t = tf.tensor1d(idx, 'int32');
    const x = tf.gather(this.splits.train.x, t);
    const y = tf.gather(this.splits.train.y, t);
    fb.target(y); // drtp projects the target (a no-op for the other methods)
    return softmaxCrossEntropy(this.model.forward(x, fb, { training: true, rng: ctx.rng }), y);
  }

  evaluate(split: 'val' | 'test'): EvalResult {
    const s = this.splits[split];
    const logits = tf.tidy(() => this.model.forward(s.x));
    const l = tf.tidy(() => softmaxCrossEntropy(logits, s.y));
    const r = { loss: l.dataSync()[0]!, metric: 100 * accuracy(logits, s.y) };
    tf.dispose([logits, l]);
    return r;
  }

  alignmentLoss(fb: Feedback): tf.Scalar {
    const s = this.splits.train;
    const x = tf.slice(s.x, [0, 0], [this.alignN, -1]);
    const y = tf.slice(s.y, [0], [this.alignN]);
    fb.target(y);
    return softmaxCrossEntropy(this.model.forward(x, fb), y);
  }

  pathWeights(): Record<string, tf.Tensor[]> {
    return this.model.pathWeights();
  }

  describe(): Record<string, unknown> {
    const c = this.model.config;
    return {
      model: `MLP ${[c.inputDim, ...c.hidden, c.outputDim].join('-')} ${c.activation}`,
      dropout: c.dropout, train: this.splits.train.n, val: this.splits.val.n, test: this.splits.test.n, batchSize: this.batchSize,
    };
  }

  dispose(): void {
    this.model.dispose();
    for (const s of Object.values(this.splits)) tf.dispose([s.x, s.y]);
  }
}
