/** A fully connected layer y = x·W + b (W [in, out]) whose weights come from a seeded Rng. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import type { Feedback } from '../feedback';
import { type InitKind, initBias, initWeights } from './init';

export interface DenseOptions {
  inDim: number;
  outDim: number;
  rng: Rng;
  init?: InitKind;
  bias?: boolean;
  /** layer name: FA's feedback matrix and checkpoint keys use it */
  name: string;
}

export class Dense {
  readonly W: tf.Variable;
  readonly b: tf.Variable | undefined;
  readonly name: string;

  constructor(o: DenseOptions) {
    for (const k of ['inDim', 'outDim'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`Dense '${o.name}': ${k} must be a positive integer, got ${o[k]}`);
    }
    const init = o.init ?? 'glorot';
    const r = o.rng.fork(o.name);
    this.name = o.name;
    // tidy disposes the initial tensors (variables survive it)
    this.W = tf.tidy(() => tf.variable(tf.tensor2d(initWeights(init, r, o.inDim, o.outDim), [o.inDim, o.outDim])));
    this.b = o.bias === false ? undefined : tf.tidy(() => tf.variable(tf.tensor1d(initBias(init, r, o.inDim, o.outDim))));
  }

  /** Through the Feedback (FA-aware) when given, a plain matmul otherwise. */
  apply(x: tf.Tensor, fb?: Feedback): tf.Tensor {
    if (fb) return fb.dense(x, this.W, this.b, this.name);
    const y = tf.matMul(x.rank === 2 ? x : x.reshape([-1, x.shape[x.rank - 1]!]), this.W);
    const z = this.b ? tf.add(y, this.b) : y;
    return x.rank === 2 ? z : z.reshape([...x.shape.slice(0, -1), this.W.shape[1]!]);
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.b ? { [`${this.name}.W`]: this.W, [`${this.name}.b`]: this.b } : { [`${this.name}.W`]: this.W };
  }

  dispose(): void {
    this.W.dispose();
    this.b?.dispose();
  }
}
