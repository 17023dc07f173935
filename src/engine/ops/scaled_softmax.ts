/**
 * softmax(scale · x) over the last axis, optionally causal (entry j of query row i, i = the
 * second-to-last index, masked when j > i): the attention probabilities. The DfaScaledSoftmax
 * kernel (scaled_softmax_kernel.ts) on every backend: natively one pass forward and one backward
 * (replacing tfjs's scale, mask-add, softmax and its four-op gradient); on tfjs's backends those
 * ops with an additive −1e9 mask. Other dtypes: the composite.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { DFA_SCALED_SOFTMAX } from './scaled_softmax_kernel';
import { scaledSoftmaxComposite } from '../cpu/scaled_softmax';

export function scaledSoftmax(x: tf.Tensor, scale: number, causal = false): tf.Tensor {
  if (x.rank < 1) throw new Error('scaledSoftmax: needs at least one axis');
  if (!(scale > 0)) throw new Error(`scaledSoftmax: scale must be positive, got ${scale}`);
  if (x.dtype !== 'float32') return scaledSoftmaxComposite(x, scale, causal);
  return tf.engine().runKernel(DFA_SCALED_SOFTMAX, { x }, { scale, causal }) as tf.Tensor;
}
