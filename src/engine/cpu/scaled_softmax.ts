/**
 * DfaScaledSoftmax and DfaSoftmaxGrad on tfjs's backends: the composite the library ran before
 * (scale, add a −1e9 causal mask, tf.softmax) and tfjs's autodiff of it.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { DFA_SCALED_SOFTMAX, DFA_SOFTMAX_GRAD } from '../ops/scaled_softmax_kernel';
import { tapeStep, tfOpsKernel } from './kernel';

/** The composite (the reference the kernels are tested against, and the path for other dtypes). */
export function scaledSoftmaxComposite(x: tf.Tensor, scale: number, causal: boolean): tf.Tensor {
  let s = tf.mul(x, scale);
  if (causal) {
    const T = x.rank >= 2 ? x.shape[x.rank - 2]! : 1, C = x.shape[x.rank - 1]!;
    const m = new Float32Array(T * C);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < C; j++) m[i * C + j] = -1e9;
    s = tf.add(s, tf.tensor(m, [T, C]));
  }
  return tf.softmax(s, -1);
}

export const scaledSoftmaxCpuKernels: KernelConfig[] = [
  tfOpsKernel(DFA_SCALED_SOFTMAX, ({ x }, attrs) => {
    const { scale, causal } = attrs as unknown as { scale: number; causal: boolean };
    return scaledSoftmaxComposite(x!, scale, causal);
  }),
  tfOpsKernel(DFA_SOFTMAX_GRAD, ({ y, dy }, attrs) => {
    const { scale } = attrs as unknown as { scale: number };
    const ds = tapeStep('Softmax', dy!, [y!], { dim: y!.rank - 1 }).logits!(); // y = softmax(s)
    // the causal mask's Add passes ds through; s = x · scale (scale a float32 scalar, x of the full shape)
    return tf.mul(ds, tf.scalar(scale));
  }),
];
