/**
 * DfaBatchNorm and DfaBatchNormGrad on tfjs's backends: the composite the library ran before
 * (tf.moments over the batch, then gamma · (x − mean) / sqrt(var + eps) + beta) and tfjs's
 * autodiff of it.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { DFA_BATCH_NORM, DFA_BATCH_NORM_GRAD } from '../ops/batch_norm_kernel';
import { tfOpsKernel } from './kernel';
import { normBackward, normForward, type NormSpec } from './normalize';

const SPEC: NormSpec = { axis: 0, keepDims: false, divide: true };

export interface BatchNormResult { y: tf.Tensor2D; mean: tf.Tensor1D; variance: tf.Tensor1D }

/** The composite (the reference the kernels are tested against, and the path for other dtypes). */
export function batchNormTrainComposite(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): BatchNormResult {
  const { mean, variance } = tf.moments(x, 0);
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta) as tf.Tensor2D;
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

export const batchNormCpuKernels: KernelConfig[] = [
  tfOpsKernel(DFA_BATCH_NORM, ({ x, gamma, beta }, attrs) => {
    const f = normForward(x!, gamma!, beta!, (attrs as unknown as { eps: number }).eps, SPEC);
    return [f.y, f.mean, f.variance];
  }),
  tfOpsKernel(DFA_BATCH_NORM_GRAD, ({ dy, x, gamma, beta, mean, variance }, attrs) =>
    normBackward(dy!, x!, gamma!, beta!, (attrs as unknown as { eps: number }).eps, SPEC, { mean: mean!, variance: variance! })),
];
