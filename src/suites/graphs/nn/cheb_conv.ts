/**
 * ChebConv (Defferrard et al. 2016): X' = Σ_k T_k(L̂) X W_k + b with the Chebyshev recurrence
 * T_0 = X, T_1 = L̂X, T_k = 2L̂T_{k-1} − T_{k-2}; L̂ = −D^-1/2 A D^-1/2 ('sym', lambda_max 2).
 * Glorot W_k, zero b (PyG 1.x). For sparse input, L̂ is applied after the projection (equal by
 * linearity, and the projection is the expensive sparse product).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { Feedback } from '../../../feedback';
import { propagate } from '../../../engine/ops/propagate';
import { initWeights } from '../../../nn/init';
import type { Graph } from './graph';
import { project, type NodeInput } from './input';
import { param } from './param';

export class ChebConv {
  readonly weights: tf.Variable[];
  readonly bias: tf.Variable;
  constructor(rng: Rng, readonly inChannels: number, readonly outChannels: number, readonly K = 2, readonly name = 'cheb') {
    if (K < 1) throw new Error(`ChebConv: K must be >= 1, got ${K}`);
    this.weights = Array.from({ length: K }, () => param(initWeights('glorot', rng, inChannels, outChannels), [inChannels, outChannels]));
    this.bias = param(new Float32Array(outChannels), [outChannels]);
  }

  params(): tf.Variable[] {
    return [...this.weights, this.bias];
  }

  /** `fb`: a dense input's products X·W_k go through it (the layer-wise methods' feedback, named `<name>.k<k>`). */
  forward(x: NodeInput, g: Graph, fb?: Feedback | null): tf.Tensor {
    const w = g.chebNorm();
    const L = (t: tf.Tensor) => propagate(t, g, w);
    // Σ_k T_k(L̂) (X W_k): apply the polynomial to each projection.
    let out: tf.Tensor = project(x, this.weights[0]!, fb, `${this.name}.k0`);
    for (let k = 1; k < this.K; k++) {
      const xw = project(x, this.weights[k]!, fb, `${this.name}.k${k}`);
      let tPrev = xw, tCur = L(xw);
      for (let j = 2; j <= k; j++) {
        const tNext = tf.sub(tf.mul(L(tCur), 2), tPrev);
        tPrev = tCur;
        tCur = tNext;
      }
      out = tf.add(out, tCur);
    }
    return tf.add(out, this.bias);
  }
}
