/**
 * AFN's logarithmic-layer activation and layout change (torchfm LNN): z [B·D, L], the LNN GEMM's
 * output with rows (sample b, embedding dim d), becomes y [B, L·D] = relu(expm1(z)) with columns
 * (neuron l, dim d), torch's flattening. The DfaLnnExp kernel (lnn_activation_kernel.ts) on every
 * backend: natively one pass each way (tfjs composes it from Expm1, Relu and two Transposes forward
 * and ~5 activation-sized passes backward, ~10× the time at AFN's 2048 × 15,000; the native
 * forward computes expm1 as exp − 1 on z > 0 only, absolute error ~1e-7 near 0); on tfjs's
 * backends those ops. Other dtypes: the composite.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { DFA_LNN_EXP } from './lnn_activation_kernel';
import { lnnActivationComposite } from '../cpu/lnn_activation';

export function lnnActivation(z: tf.Tensor2D, dim: number): tf.Tensor2D {
  if (z.rank !== 2 || !(Number.isInteger(dim) && dim > 0) || z.shape[0] % dim !== 0) {
    throw new Error(`lnnActivation: z [${z.shape}] must be [batch·${dim}, neurons]`);
  }
  if (z.dtype !== 'float32') return lnnActivationComposite(z, dim);
  return tf.engine().runKernel(DFA_LNN_EXP, { z }, { dim }) as tf.Tensor2D;
}
