/**
 * Dense building blocks of the torchfm models, as tf.Variables with torch's default inits:
 * Linear (U(±1/√in) weights and bias), BatchNorm1d, the MLP block Linear → BatchNorm → ReLU →
 * Dropout (one feedback point per block), the cross network and the logarithmic (LNN) layer.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import type { Feedback } from '../../../feedback';
import { lnnActivation } from '../../../engine/ops/lnn_activation';
import { batchNormTrain } from '../../../engine/ops/batch_norm';
import { seededDropout } from '../../../engine/ops/dropout';

let varCounter = 0;
/** Variable names must be unique in the tfjs engine; several models may coexist. */
export function vname(n: string): string {
  return `${n}_${++varCounter}`;
}

export interface ForwardCtx {
  fb: Feedback | null;
  training: boolean;
  /** dropout masks */
  rng: Rng;
}

export class Linear {
  readonly W: tf.Variable;
  readonly b: tf.Variable | null;
  constructor(readonly name: string, nin: number, nout: number, rng: Rng, bias = true) {
    const a = 1 / Math.sqrt(nin);
    this.W = tf.variable(tf.tensor2d(rng.uniformArray(nin * nout, -a, a), [nin, nout]), true, vname(`${name}.W`));
    this.b = bias ? tf.variable(tf.tensor1d(rng.uniformArray(nout, -a, a)), true, vname(`${name}.b`)) : null;
  }
  get vars(): tf.Variable[] {
    return this.b ? [this.W, this.b] : [this.W];
  }
  apply(x: tf.Tensor, ctx: ForwardCtx): tf.Tensor {
    if (ctx.fb) return ctx.fb.dense(x, this.W, this.b ?? undefined, this.name);
    const y = tf.matMul(x as tf.Tensor2D, this.W as tf.Tensor2D);
    return this.b ? tf.add(y, this.b) : y;
  }
}

export class BatchNorm1d {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runMean: tf.Variable;
  readonly runVar: tf.Variable;
  constructor(readonly name: string, n: number, private readonly momentum = 0.1, private readonly eps = 1e-5) {
    this.gamma = tf.variable(tf.ones([n]), true, vname(`${name}.gamma`));
    this.beta = tf.variable(tf.zeros([n]), true, vname(`${name}.beta`));
    this.runMean = tf.variable(tf.zeros([n]), false, vname(`${name}.runMean`));
    this.runVar = tf.variable(tf.ones([n]), false, vname(`${name}.runVar`));
  }
  get vars(): tf.Variable[] {
    return [this.gamma, this.beta];
  }
  apply(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    if (!training || x.shape[0] < 2) {
      return tf.add(tf.mul(tf.div(tf.sub(x, this.runMean), tf.sqrt(tf.add(this.runVar, this.eps))), this.gamma), this.beta);
    }
    const { y, mean, variance } = batchNormTrain(x, this.gamma, this.beta, this.eps);
    const n = x.shape[0];
    // running stats as torch: unbiased variance, momentum 0.1 (no gradient through them)
    const mom = this.momentum;
    this.runMean.assign(tf.tidy(() => tf.add(tf.mul(this.runMean, 1 - mom), tf.mul(mean, mom))));
    this.runVar.assign(tf.tidy(() => tf.add(tf.mul(this.runVar, 1 - mom), tf.mul(variance, (mom * n) / (n - 1)))));
    return y;
  }
}

/**
 * Inverted dropout with a counter-based mask keyed by two words from the Rng (seeded,
 * reproducible, the same on every backend; one native kernel each way, see engine/ops/dropout).
 */
export function dropout(x: tf.Tensor, p: number, ctx: ForwardCtx): tf.Tensor {
  if (!ctx.training || p <= 0) return x;
  return seededDropout(x, p, { k0: ctx.rng.nextUint32(), k1: ctx.rng.nextUint32() });
}

/** torchfm MultiLayerPerceptron without its output layer: blocks Linear → BN → ReLU → Dropout. */
export class MLP {
  readonly layers: Linear[] = [];
  readonly norms: BatchNorm1d[] = [];
  constructor(readonly name: string, nin: number, dims: number[], public dropoutRate: number, rng: Rng, readonly batchNorm = true) {
    for (let i = 0; i < dims.length; i++) {
      this.layers.push(new Linear(`${name}.fc${i + 1}`, i === 0 ? nin : dims[i - 1]!, dims[i]!, rng.fork(`fc${i + 1}`)));
      if (batchNorm) this.norms.push(new BatchNorm1d(`${name}.bn${i + 1}`, dims[i]!));
    }
  }
  get vars(): tf.Variable[] {
    return [...this.layers.flatMap((l) => l.vars), ...this.norms.flatMap((n) => n.vars)];
  }
  /** BatchNorm running statistics: no gradient, but part of the trained model */
  get stateVars(): tf.Variable[] {
    return this.norms.flatMap((n) => [n.runMean, n.runVar]);
  }
  get outDim(): number {
    return this.layers[this.layers.length - 1]!.W.shape[1]!;
  }
  /** Each block's output is a feedback point `${name}.h${i}`. */
  apply(x: tf.Tensor2D, ctx: ForwardCtx): tf.Tensor2D {
    let h: tf.Tensor = x;
    this.layers.forEach((l, i) => {
      let a = l.apply(h, ctx) as tf.Tensor2D;
      if (this.batchNorm) a = this.norms[i]!.apply(a, ctx.training);
      h = dropout(tf.relu(a), this.dropoutRate, ctx);
      if (ctx.fb) h = ctx.fb.point(h, `${this.name}.h${i + 1}`);
    });
    return h as tf.Tensor2D;
  }
}

/**
 * Deep & Cross's cross network: x_{l+1} = x0 · (x_l · w_l) + b_l + x_l. No nonlinearity, so each
 * layer's output is its feedback point `cross${l}` (the paper trains these layers with DFA).
 */
export class CrossNetwork {
  readonly w: tf.Variable[] = [];
  readonly b: tf.Variable[] = [];
  constructor(dim: number, readonly numLayers: number, rng: Rng) {
    const a = 1 / Math.sqrt(dim);
    for (let l = 0; l < numLayers; l++) {
      this.w.push(tf.variable(tf.tensor2d(rng.fork(`w${l}`).uniformArray(dim, -a, a), [dim, 1]), true, vname(`cross${l + 1}.w`)));
      this.b.push(tf.variable(tf.zeros([dim]), true, vname(`cross${l + 1}.b`)));
    }
  }
  get vars(): tf.Variable[] {
    return [...this.w, ...this.b];
  }
  apply(x0: tf.Tensor2D, ctx: ForwardCtx): tf.Tensor2D {
    let x: tf.Tensor2D = x0;
    for (let l = 0; l < this.numLayers; l++) {
      const xw = tf.matMul(x, this.w[l] as tf.Tensor2D); // [B, 1]
      x = tf.add(tf.add(tf.mul(x0, xw), this.b[l]!), x) as tf.Tensor2D;
      if (ctx.fb) x = ctx.fb.point(x, `cross${l + 1}`) as tf.Tensor2D;
    }
    return x;
  }
}

/**
 * AFN's logarithmic neural network layer (torchfm LNN): for each embedding dim,
 * out = ReLU(expm1(W · log1p(|e| + 1e-7))), W [lnnDim, numFields]; flattened to [B, lnnDim · dim].
 */
export class LNN {
  readonly W: tf.Variable;
  constructor(readonly numFields: number, readonly embedDim: number, readonly lnnDim: number, rng: Rng) {
    const a = 1 / Math.sqrt(numFields);
    this.W = tf.variable(tf.tensor2d(rng.uniformArray(lnnDim * numFields, -a, a), [lnnDim, numFields]), true, vname('lnn.W'));
  }
  get vars(): tf.Variable[] {
    return [this.W];
  }
  get outDim(): number {
    return this.lnnDim * this.embedDim;
  }
  /** e: [B, F, D] → [B, lnnDim·D] in torch's layout (lnn index major, then embedding dim). */
  apply(e: tf.Tensor3D): tf.Tensor2D {
    const [B, F, D] = e.shape;
    const lg = tf.log1p(tf.add(tf.abs(e), 1e-7)); // [B, F, D]
    const lt = tf.reshape(tf.transpose(lg, [0, 2, 1]), [B * D, F]); // rows (b, d)
    const z = tf.matMul(lt, this.W as tf.Tensor2D, false, true); // [B·D, lnnDim]
    return lnnActivation(z as tf.Tensor2D, D); // relu(expm1(z)) → [B, lnnDim·D]
  }
}

/** FM's pairwise interaction term: ½ Σ_d ((Σ_f e)² − Σ_f e²), [B, F, D] → [B, 1]. */
export function factorizationMachine(e: tf.Tensor3D): tf.Tensor2D {
  const s = tf.sum(e, 1);
  const ix = tf.sub(tf.square(s), tf.sum(tf.square(e), 1));
  return tf.mul(tf.sum(ix, 1, true), 0.5) as tf.Tensor2D;
}
