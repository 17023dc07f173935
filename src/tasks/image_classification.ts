/**
 * A TrainTask: a ConvNet classifier on in-memory images (kept as bytes, normalised per batch),
 * softmax cross-entropy, metric accuracy (%). Evaluation runs in chunks, so a 10,000-image test
 * set never materialises its feature maps at once.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import type { Feedback } from '../feedback';
import { softmaxCrossEntropy } from '../metrics/losses';
import type { ParamGroup } from '../optim/optimizer';
import type { EvalResult, Metric, TrainTask } from '../train/task';
import { ConvNet, type ConvNetConfig } from './convnet';
import type { ImageSet } from './mnist';

export interface ImageSplits {
  train: ImageSet;
  val: ImageSet;
  test: ImageSet;
}

/** Pixel normalisation: (byte / 255 − mean) / std. */
export interface Normalise {
  mean: number;
  std: number;
}

const EVAL_CHUNK = 1000;

export class ImageClassificationTask implements TrainTask<Int32Array> {
  readonly metric: Metric = { name: 'accuracy (%)', higherIsBetter: true };
  readonly model: ConvNet;
  private readonly alignN: number;

  constructor(readonly name: string, private readonly data: ImageSplits, net: Omit<ConvNetConfig, 'input' | 'classes'>, readonly batchSize: number, private readonly norm: Normalise) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${name}: batch size must be a positive integer, got ${batchSize}`);
    for (const s of ['train', 'val', 'test'] as const) if (data[s].n < 1) throw new Error(`${name}: the ${s} split is empty`);
    this.model = new ConvNet({ ...net, input: data.train.shape, classes: data.train.classes });
    this.alignN = Math.min(256, data.train.n);
  }

  /** Images idx of a split as a normalised [k, H, W, C] tensor and their labels. */
  private batch(set: ImageSet, idx: ArrayLike<number>): { x: tf.Tensor4D; y: tf.Tensor1D } {
    const [H, W, C] = set.shape;
    const per = H * W * C;
    const x = new Float32Array(idx.length * per);
    const y = new Int32Array(idx.length);
    const a = 1 / (255 * this.norm.std), b = -this.norm.mean / this.norm.std;
    for (let i = 0; i < idx.length; i++) {
      const k = idx[i]!;
      const src = set.pixels.subarray(k * per, (k + 1) * per);
      for (let j = 0; j < per; j++) x[i * per + j] = src[j]! * a + b;
      y[i] = set.labels[k]!;
    }
    return { x: tf.tensor4d(x, [idx.length, H, W, C]), y: tf.tensor1d(y, 'int32') };
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.model.namedVariables();
  }

  /** Biases get no weight decay (the usual practice); weights take the optimizer's. */
  paramGroups(): ParamGroup[] {
    return [{ vars: this.model.biases, weightDecay: 0 }];
  }

  *batches(_epoch: number, rng: Rng): Iterable<Int32Array> {
    const p = rng.permutation(this.data.train.n);
    for (let i = 0; i < p.length; i += this.batchSize) yield p.subarray(i, Math.min(p.length, i + this.batchSize));
  }

  loss(idx: Int32Array, fb: Feedback): tf.Scalar {
    const { x, y } = this.batch(this.data.train, idx);
    fb.target(y); // drtp projects the target (a no-op for the other methods)
    return softmaxCrossEntropy(this.model.forward(x, fb), y);
  }

  evaluate(split: 'val' | 'test'): EvalResult {
    const s = this.data[split];
    let lossSum = 0, correct = 0;
    for (let i = 0; i < s.n; i += EVAL_CHUNK) {
      const idx = Array.from({ length: Math.min(EVAL_CHUNK, s.n - i) }, (_, j) => i + j);
      const [l, c] = tf.tidy(() => {
        const { x, y } = this.batch(s, idx);
        const logits = this.model.forward(x);
        const hits = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'float32'));
        return [tf.mul(softmaxCrossEntropy(logits, y), idx.length), hits];
      });
      lossSum += l!.dataSync()[0]!;
      correct += c!.dataSync()[0]!;
      tf.dispose([l, c]);
    }
    return { loss: lossSum / s.n, metric: (100 * correct) / s.n };
  }

  alignmentLoss(fb: Feedback): tf.Scalar {
    const { x, y } = this.batch(this.data.train, Array.from({ length: this.alignN }, (_, i) => i));
    fb.target(y);
    return softmaxCrossEntropy(this.model.forward(x, fb), y);
  }

  describe(): Record<string, unknown> {
    return { model: this.model.describe(), train: this.data.train.n, val: this.data.val.n, test: this.data.test.n, batchSize: this.batchSize };
  }

  dispose(): void {
    this.model.dispose();
  }
}
