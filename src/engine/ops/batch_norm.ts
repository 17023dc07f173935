/**
 * Batch normalisation in training mode over x [N, C] (torch's BatchNorm1d forward): statistics per
 * column over the batch, biased variance for normalising; returns y and the batch's mean and
 * variance (the caller updates its running statistics from them, outside the tape; they carry no
 * gradient). The DfaBatchNorm kernel (batch_norm_kernel.ts) on every backend: natively one pass
 * each way (tfjs composes the forward from ~10 ops and the backward from ~25, its Mean / Sum
 * gradients each building an activation-sized tensor of ones in JS); on tfjs's backends those
 * same ops. Other dtypes, or gamma / beta not of rank 1: the composite.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { DFA_BATCH_NORM } from './batch_norm_kernel';
import { batchNormTrainComposite, type BatchNormResult } from '../cpu/batch_norm';

export type { BatchNormResult };

export function batchNormTrain(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): BatchNormResult {
  const C = x.shape[1];
  if (x.rank !== 2 || gamma.size !== C || beta.size !== C) {
    throw new Error(`batchNorm: x must be [batch, ${gamma.size}] to fit gamma [${gamma.shape}] and beta [${beta.shape}], got [${x.shape}]`);
  }
  if (x.dtype !== 'float32' || gamma.rank !== 1 || beta.rank !== 1) return batchNormTrainComposite(x, gamma, beta, eps);
  const [y, mean, variance] = tf.engine().runKernel(DFA_BATCH_NORM, { x, gamma, beta }, { eps }) as tf.Tensor[];
  return { y: y as tf.Tensor2D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
