/**
 * The DfaDropout kernel: x times a counter-based mask (element i kept when hash(i, key) >> 8 <
 * threshold, hash = murmur3's finaliser twice keyed by k0, k1; kept elements scaled). The mask is
 * a pure function of (key, index), so the gradient (registered by name) is the same kernel on dy:
 * the backward regenerates the mask instead of storing it. Native: one pass
 * (src/engine/native/kernels/transformer.ts); tfjs's backends: the mask built here, multiplied.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const DFA_DROPOUT = 'DfaDropout';

export interface DropoutKey {
  k0: number; // uint32
  k1: number; // uint32
}

/** The kernel's attributes: the key, the keep threshold on 24 bits and the float32 scale. */
export interface DropoutAttrs { k0: number; k1: number; threshold: number; scale: number }

/** The attributes for a drop rate in [0, 1). */
export function dropoutAttrs(rate: number, key: DropoutKey): DropoutAttrs {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  const keep = 1 - rate;
  return { k0: key.k0 >>> 0, k1: key.k1 >>> 0, threshold: Math.round(keep * 16777216), scale: Math.fround(1 / keep) };
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The scaled mask (scale or 0 per element) of n elements. */
export function maskOf(n: number, a: DropoutAttrs): Float32Array {
  const m = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const h = fmix32((fmix32((i + a.k0) >>> 0) ^ a.k1) >>> 0);
    m[i] = h >>> 8 < a.threshold ? a.scale : 0;
  }
  return m;
}

export const dropoutGrad: GradConfig = {
  kernelName: DFA_DROPOUT,
  gradFunc: (dy, _saved, attrs) => ({ x: () => tf.engine().runKernel(DFA_DROPOUT, { x: dy as tf.Tensor }, attrs) as tf.Tensor }),
};
