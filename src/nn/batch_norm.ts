/**
 * BatchNorm1d over x [N, C], as torch: in training the batch's statistics normalise (biased
 * variance) and update the running ones (unbiased variance, momentum 0.1, outside the tape); in
 * evaluation (or with a single row) the running statistics normalise. γ = 1, β = 0 at init.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormTrain } from '../engine/ops/batch_norm';

export class BatchNorm1d {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runMean: tf.Variable;
  readonly runVar: tf.Variable;
  constructor(readonly name: string, n: number, private readonly momentum = 0.1, private readonly eps = 1e-5) {
    this.gamma = tf.variable(tf.ones([n]), true);
    this.beta = tf.variable(tf.zeros([n]), true);
    this.runMean = tf.variable(tf.zeros([n]), false);
    this.runVar = tf.variable(tf.ones([n]), false);
  }

  get variables(): tf.Variable[] {
    return [this.gamma, this.beta];
  }

  /** The running statistics (learned state without a gradient). */
  get stateVariables(): tf.Variable[] {
    return [this.runMean, this.runVar];
  }

  namedVariables(): Record<string, tf.Variable> {
    return { [`${this.name}.gamma`]: this.gamma, [`${this.name}.beta`]: this.beta };
  }

  apply(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    if (!training || x.shape[0] < 2) {
      return tf.add(tf.mul(tf.div(tf.sub(x, this.runMean), tf.sqrt(tf.add(this.runVar, this.eps))), this.gamma), this.beta);
    }
    const { y, mean, variance } = batchNormTrain(x, this.gamma, this.beta, this.eps);
    const n = x.shape[0];
    const mom = this.momentum;
    this.runMean.assign(tf.tidy(() => tf.add(tf.mul(this.runMean, 1 - mom), tf.mul(mean, mom))));
    this.runVar.assign(tf.tidy(() => tf.add(tf.mul(this.runVar, 1 - mom), tf.mul(variance, (mom * n) / (n - 1)))));
    return y;
  }

  dispose(): void {
    tf.dispose([this.gamma, this.beta, this.runMean, this.runVar]);
  }
}
