/**
 * Deep & Cross's cross network: x_{l+1} = x0 · (x_l · w_l) + b_l + x_l, w_l ~ U(±1/sqrt(dim)),
 * b_l = 0. No nonlinearity, so each layer's output is its feedback point `cross<l>` (the paper
 * trains these layers with DFA). Each layer is one fused kernel each way (the engine's
 * crossLayer), except under the layer-wise methods, whose B_l replaces w_l in x's gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import { crossLayer } from '../../../engine/ops/cross_layer';
import type { Feedback } from '../../../feedback';

export class CrossNetwork {
  readonly w: tf.Variable[] = [];
  readonly b: tf.Variable[] = [];
  constructor(dim: number, readonly numLayers: number, rng: Rng) {
    const a = 1 / Math.sqrt(dim);
    for (let l = 0; l < numLayers; l++) {
      this.w.push(tf.variable(tf.tensor2d(rng.fork(`w${l}`).uniformArray(dim, -a, a), [dim, 1]), true));
      this.b.push(tf.variable(tf.zeros([dim]), true));
    }
  }
  /** The feedback points, in forward order. */
  get pointNames(): string[] {
    return this.w.map((_, l) => `cross${l + 1}`);
  }
  /** `cross<l>.w` for every layer, then `cross<l>.b`. */
  namedVariables(): Record<string, tf.Variable> {
    return Object.fromEntries([...this.w.map((v, l) => [`cross${l + 1}.w`, v]), ...this.b.map((v, l) => [`cross${l + 1}.b`, v])]);
  }
  apply(x0: tf.Tensor2D, fb: Feedback | null): tf.Tensor2D {
    let x: tf.Tensor2D = x0;
    for (let l = 0; l < this.numLayers; l++) {
      if (fb?.usesFa()) {
        // a layer-wise method sends the gradient to x through its B_l instead of w_l (fb.dense)
        const xw = fb.dense(x, this.w[l]!, undefined, `cross${l + 1}.w`); // [B, 1]
        x = tf.add(tf.add(tf.mul(x0, xw), this.b[l]!), x) as tf.Tensor2D;
      } else {
        x = crossLayer(x0, x, this.w[l]!, this.b[l]!); // one kernel each way (src/engine/ops/cross_layer.ts)
      }
      if (fb) x = fb.point(x, `cross${l + 1}`) as tf.Tensor2D;
    }
    return x;
  }
}
