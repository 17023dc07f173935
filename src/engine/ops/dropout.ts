/**
 * Inverted dropout with a counter-based mask (dropout_kernel.ts): the same key gives the same
 * numbers on every backend, and the backward regenerates the mask rather than storing it. The
 * DfaDropout kernel on every backend (one pass natively; tfjs's tf.dropout takes four kernels
 * plus a JS random stream); other dtypes multiply by the mask.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { DFA_DROPOUT, dropoutAttrs, maskOf, type DropoutKey } from './dropout_kernel';

export { dropoutAttrs, type DropoutKey };

/** The scaled mask (1/keep or 0 per element) the kernel applies, as a Float32Array of n values. */
export function dropoutMask(n: number, rate: number, key: DropoutKey): Float32Array {
  return maskOf(n, dropoutAttrs(rate, key));
}

export function seededDropout<T extends tf.Tensor>(x: T, rate: number, key: DropoutKey): T {
  const a = dropoutAttrs(rate, key);
  if (rate === 0) return x;
  if (x.dtype !== 'float32') return tf.mul(x, tf.tensor(maskOf(x.size, a), x.shape)) as T;
  return tf.engine().runKernel(DFA_DROPOUT, { x }, a as unknown as tf.NamedAttrMap) as T;
}
