/**
 * Inverted dropout with a counter-based mask: element i is kept when hash(i, key) >> 8 <
 * keep · 2^24 (hash = murmur3's finaliser, twice, keyed by two 32-bit words the caller draws from
 * its seeded Rng), and scaled by 1 / keep. The mask is a pure function of (key, index), so the
 * backward (dy times the same mask) regenerates it rather than storing it, and the same key gives
 * the same numbers on every backend. Native backend: one kernel each way; elsewhere the mask is
 * built in JS and multiplied (tfjs's tf.dropout takes four kernels plus a JS random stream).
 */
import * as tf from '@tensorflow/tfjs';
import { currentNativeBackend } from '../native/current';

export interface DropoutKey {
  k0: number; // uint32
  k1: number; // uint32
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The kernel's attributes for a drop rate: keep threshold on 24 bits and the float32 scale. */
export function dropoutAttrs(rate: number, key: DropoutKey): { k0: number; k1: number; threshold: number; scale: number } {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  const keep = 1 - rate;
  return { k0: key.k0 >>> 0, k1: key.k1 >>> 0, threshold: Math.round(keep * 16777216), scale: Math.fround(1 / keep) };
}

/** The scaled mask (1/keep or 0 per element) the kernel applies, as a Float32Array of n values. */
export function dropoutMask(n: number, rate: number, key: DropoutKey): Float32Array {
  const { k0, k1, threshold, scale } = dropoutAttrs(rate, key);
  const m = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = fmix32((fmix32((i + k0) >>> 0) ^ k1) >>> 0);
    m[i] = h >>> 8 < threshold ? scale : 0;
  }
  return m;
}

export function seededDropout<T extends tf.Tensor>(x: T, rate: number, key: DropoutKey): T {
  const a = dropoutAttrs(rate, key);
  if (rate === 0) return x;
  if (!currentNativeBackend() || x.dtype !== 'float32') return tf.mul(x, tf.tensor(dropoutMask(x.size, rate, key), x.shape)) as T;
  const f = tf.customGrad(((xx: tf.Tensor) => ({
    value: tf.engine().runKernel('DfaDropout', { x: xx }, a) as tf.Tensor,
    gradFunc: (dy: tf.Tensor) => tf.engine().runKernel('DfaDropout', { x: dy }, a) as tf.Tensor,
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as T;
}
