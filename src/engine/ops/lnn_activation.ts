/**
 * AFN's logarithmic-layer activation and layout change (torchfm LNN): z [B·D, L], the LNN GEMM's
 * output with rows (sample b, embedding dim d), becomes y [B, L·D] = relu(expm1(z)) with columns
 * (neuron l, dim d), torch's flattening. On the native backend one kernel each way (the backward
 * uses exp(z) = y + 1 where y > 0, so z is not kept); tfjs composes it from Expm1, Relu and two
 * Transposes forward and ~5 activation-sized passes backward (~10× the time at AFN's 2048 × 15,000).
 * The native forward computes expm1 as exp − 1 on z > 0 only (absolute error ~1e-7 near 0).
 */
import * as tf from '@tensorflow/tfjs';
import { currentNativeBackend } from '../native/current';

export function lnnActivationComposite(z: tf.Tensor2D, dim: number): tf.Tensor2D {
  const [rows, L] = z.shape;
  const o = tf.relu(tf.expm1(z));
  return tf.reshape(tf.transpose(tf.reshape(o, [rows / dim, dim, L]), [0, 2, 1]), [rows / dim, L * dim]);
}

export function lnnActivation(z: tf.Tensor2D, dim: number): tf.Tensor2D {
  if (z.rank !== 2 || !(Number.isInteger(dim) && dim > 0) || z.shape[0] % dim !== 0) {
    throw new Error(`lnnActivation: z [${z.shape}] must be [batch·${dim}, neurons]`);
  }
  if (!currentNativeBackend() || z.dtype !== 'float32') return lnnActivationComposite(z, dim);
  const f = tf.customGrad(((zz: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = tf.engine().runKernel('DfaLnnExp', { z: zz }, { dim }) as tf.Tensor;
    save([y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel('DfaLnnExpGrad', { dy, y: saved[0]! }, { dim }) as tf.Tensor,
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(z) as tf.Tensor2D;
}
