/**
 * The linear layer y = x·W + b (W [in, out], x with any leading dims), as a module (`Linear`,
 * owning seeded weights) and as a function (`linear`, for models that keep their parameters
 * elsewhere, as F.linear beside nn.Linear). Feedback-aware: inside a training pass under FA the
 * input receives dy · B_l instead of dy · Wᵀ (Feedback.dense); otherwise one fused op (the bias
 * added with the product, each input's gradient computed only when asked for, so a layer fed by
 * data or by a detached feedback point never forms Wᵀδ).
 */
import { WeightBias } from './weight_bias';
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import { linearOp } from '../engine/ops/linear';
import type { Feedback } from '../feedback';
import { type InitKind, initBias, initWeights } from './init';

/** y = x·W + b through `fb` when it treats dense layers (FA), the fused op otherwise. */
export function linear(x: tf.Tensor, W: tf.Tensor, b?: tf.Tensor, fb?: Feedback | null, name?: string): tf.Tensor {
  if (fb?.usesFa()) return fb.dense(x, W, b, name);
  return linearOp(x, W, b);
}

export interface LinearOptions {
  inDim: number;
  outDim: number;
  /** W then b are drawn from this stream, in that order */
  rng: Rng;
  /** 'glorot' (default), 'he', 'lecun', or 'torch' (PyTorch's nn.Linear: W and b ~ U(±1/sqrt(fanIn))) */
  init?: InitKind;
  bias?: boolean;
  /** the layer's name: FA's feedback matrix and checkpoint keys use it */
  name: string;
  /** fan-in of the init when it differs from inDim (a layer that sees a concatenation through two Linears) */
  fanIn?: number;
}

export class Linear extends WeightBias {
  readonly W: tf.Variable;
  readonly b: tf.Variable | undefined;
  readonly name: string;

  constructor(o: LinearOptions) {
    super();
    for (const k of ['inDim', 'outDim'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`Linear '${o.name}': ${k} must be a positive integer, got ${o[k]}`);
    }
    const init = o.init ?? 'glorot';
    const fanIn = o.fanIn ?? o.inDim;
    this.name = o.name;
    // tidy disposes the initial tensors (variables survive it)
    this.W = tf.tidy(() => tf.variable(tf.tensor2d(initWeights(init, o.rng, o.inDim, o.outDim, fanIn), [o.inDim, o.outDim])));
    this.b = o.bias === false ? undefined : tf.tidy(() => tf.variable(tf.tensor1d(initBias(init, o.rng, fanIn, o.outDim))));
  }

  get inDim(): number {
    return this.W.shape[0]!;
  }

  get outDim(): number {
    return this.W.shape[1]!;
  }

  /** Through the Feedback (FA-aware) when given. */
  apply(x: tf.Tensor, fb?: Feedback | null): tf.Tensor {
    return linear(x, this.W, this.b, fb, this.name);
  }
}
