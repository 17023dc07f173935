/**
 * DfaLayerNorm and DfaLayerNormGrad on tfjs's backends: the composite the library ran before
 * (tf.moments, then gamma · (x − mean) · rsqrt(var + eps) + beta) and tfjs's autodiff of it.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { DFA_LAYER_NORM, DFA_LAYER_NORM_GRAD } from '../ops/layer_norm_kernel';
import { tfOpsKernel } from './kernel';
import { normBackward, normForward, type NormSpec } from './normalize';

const spec = (x: tf.Tensor): NormSpec => ({ axis: x.rank - 1, keepDims: true, divide: false });

/** The composite (the reference the kernels are tested against). */
export function layerNormComposite(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
}

export const layerNormCpuKernels: KernelConfig[] = [
  tfOpsKernel(DFA_LAYER_NORM, ({ x, gamma, beta }, attrs) => {
    const f = normForward(x!, gamma!, beta!, (attrs as unknown as { eps: number }).eps, spec(x!));
    const rows = [f.mean.size];
    return [f.y, tf.reshape(f.mean, rows), tf.reshape(f.s, rows)];
  }),
  tfOpsKernel(DFA_LAYER_NORM_GRAD, ({ dy, x, gamma, beta, mean, rstd }, attrs) => {
    const kept = [...x!.shape.slice(0, -1), 1];
    const stats = { mean: tf.reshape(mean!, kept), s: tf.reshape(rstd!, kept) };
    return normBackward(dy!, x!, gamma!, beta!, (attrs as unknown as { eps: number }).eps, spec(x!), stats);
  }),
];
