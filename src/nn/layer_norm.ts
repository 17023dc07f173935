/**
 * Layer normalisation over the last axis (Ba et al. 2016): gamma · (x − mean) / sqrt(var + eps)
 * + beta, biased variance as PyTorch, eps 1e-5 by default. One op of the engine
 * (src/engine/ops/layer_norm.ts: one kernel forward and one for dx/dγ/dβ on the native backend).
 */
import type * as tf from '@tensorflow/tfjs';
import { layerNorm as layerNormOp } from '../engine/ops/layer_norm';

export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  if (!(eps > 0)) throw new Error(`layerNorm: eps must be > 0, got ${eps}`);
  return layerNormOp(x, gamma, beta, eps);
}
