/**
 * Layer normalisation over the last axis (Ba et al. 2016): gamma · (x − mean) / sqrt(var + eps)
 * + beta, biased variance as PyTorch. The DfaLayerNorm kernel (layer_norm_kernel.ts) on every
 * backend: natively one pass each way (tfjs composes the forward from ~9 ops and its gradient
 * from ~25, each allocating an activation-sized tensor); on tfjs's backends those same ops.
 * Other dtypes, or gamma / beta not of rank 1: the composite.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { DFA_LAYER_NORM } from './layer_norm_kernel';
import { layerNormComposite } from '../cpu/layer_norm';

export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const C = x.shape[x.rank - 1];
  if (x.rank < 1 || gamma.size !== C || beta.size !== C) {
    throw new Error(`layerNorm: gamma [${gamma.shape}] and beta [${beta.shape}] must have the ${C} features of x [${x.shape}]`);
  }
  if (x.dtype !== 'float32' || gamma.rank !== 1 || beta.rank !== 1) return layerNormComposite(x, gamma, beta, eps);
  const [y, mean, rstd] = tf.engine().runKernel(DFA_LAYER_NORM, { x, gamma, beta }, { eps }) as tf.Tensor[];
  tf.dispose([mean!, rstd!]); // the tape keeps its own copies for the backward
  return y!;
}
