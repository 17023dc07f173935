/**
 * AFN's logarithmic neural network layer (torchfm LNN): for each embedding dim,
 * out = ReLU(expm1(W · log1p(|e| + 1e-7))), W [lnnDim, numFields] ~ U(±1/sqrt(numFields));
 * flattened to [B, lnnDim · dim].
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { Feedback } from '../../../feedback';
import { lnnActivation } from '../../../engine/ops/lnn_activation';

export class LNN {
  readonly W: tf.Variable;
  constructor(readonly numFields: number, readonly embedDim: number, readonly lnnDim: number, rng: Rng) {
    const a = 1 / Math.sqrt(numFields);
    this.W = tf.variable(tf.tensor2d(rng.uniformArray(lnnDim * numFields, -a, a), [lnnDim, numFields]), true);
  }
  get outDim(): number {
    return this.lnnDim * this.embedDim;
  }
  namedVariables(): Record<string, tf.Variable> {
    return { 'lnn.W': this.W };
  }
  /**
   * e: [B, F, D] → [B, lnnDim·D] in torch's layout (lnn index major, then embedding dim). Under a
   * layer-wise method (fb.usesFa()) the weight layer is the Feedback's dense layer 'lnn.W'.
   */
  apply(e: tf.Tensor3D, fb: Feedback | null = null): tf.Tensor2D {
    const [B, F, D] = e.shape;
    const lg = tf.log1p(tf.add(tf.abs(e), 1e-7)); // [B, F, D]
    const lt = tf.reshape(tf.transpose(lg, [0, 2, 1]), [B * D, F]); // rows (b, d)
    const z = fb?.usesFa() ? fb.dense(lt, tf.transpose(this.W), undefined, 'lnn.W') : tf.matMul(lt, this.W as tf.Tensor2D, false, true); // [B·D, lnnDim]
    return lnnActivation(z as tf.Tensor2D, D); // relu(expm1(z)) → [B, lnnDim·D]
  }
}
