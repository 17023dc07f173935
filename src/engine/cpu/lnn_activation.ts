/**
 * DfaLnnExp and DfaLnnExpGrad on tfjs's backends. The forward is the composite the library ran
 * before (Expm1, Relu, the layout change). The backward takes exp(z) = y + 1 from the output, as
 * the native kernel does (z is not kept), so it differs from the old composite's autodiff (which
 * used exp(z)) by float32 rounding of y + 1: a relative 1e-7.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { DFA_LNN_EXP, DFA_LNN_EXP_GRAD } from '../ops/lnn_activation_kernel';
import { tfOpsKernel } from './kernel';

/** [rows/dim, dim, L] <-> [rows/dim, L, dim]: the two layouts' shared transpose. */
const swap = (t: tf.Tensor, B: number, a: number, b: number) => tf.transpose(tf.reshape(t, [B, a, b]), [0, 2, 1]);

/** The composite (the reference the kernels are tested against, and the path for other dtypes). */
export function lnnActivationComposite(z: tf.Tensor2D, dim: number): tf.Tensor2D {
  const [rows, L] = z.shape;
  return tf.reshape(swap(tf.relu(tf.expm1(z)), rows / dim, dim, L), [rows / dim, L * dim]);
}

export const lnnActivationCpuKernels: KernelConfig[] = [
  tfOpsKernel(DFA_LNN_EXP, ({ z }, attrs) => lnnActivationComposite(z as tf.Tensor2D, (attrs as unknown as { dim: number }).dim)),
  tfOpsKernel(DFA_LNN_EXP_GRAD, ({ dy, y }, attrs) => {
    const { dim } = attrs as unknown as { dim: number };
    const [B, width] = y!.shape as [number, number];
    const L = width / dim;
    const expZ = tf.where(tf.greater(y!, 0), tf.add(y!, 1), tf.zerosLike(y!)); // y > 0: exp(z) = y + 1
    return tf.reshape(swap(tf.mul(dy!, expZ), B, L, dim), [B * dim, L]);
  }),
];
