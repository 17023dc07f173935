/**
 * Causal multi-head scaled dot-product self-attention (Vaswani et al. 2017), batched:
 * q, k, v = split(x W_qkv + b_qkv); per head softmax(q kᵀ / sqrt(d_k) + mask) v, the mask hiding
 * future positions; heads concatenated and projected by W_o. Its gradient is the exact backward
 * through the whole mechanism, which uses W_V (paper appendix D): that is what DFA runs inside
 * the attention sub-layer once the feedback reaches its top. The core (scores, softmax, dropout,
 * weighted values) is one fused op, src/engine/ops/causal_attention.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import { linearOp as linear } from '../engine/ops/linear';
import { causalAttention } from '../engine/ops/causal_attention';

export interface AttentionParams {
  wqkv: tf.Tensor; // [d, 3d]
  bqkv: tf.Tensor; // [3d]
  wo: tf.Tensor; // [d, d]
  bo: tf.Tensor; // [d]
}

const masks = new Map<number, tf.Tensor2D>();

/** Additive causal mask [T, T]: 0 on and below the diagonal, -1e9 above (kept, shared; for users composing attention themselves). */
export function causalMask(T: number): tf.Tensor2D {
  let m = masks.get(T);
  if (!m || m.isDisposed) {
    const a = new Float32Array(T * T);
    for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) a[i * T + j] = -1e9;
    m = tf.keep(tf.tensor2d(a, [T, T]));
    masks.set(T, m);
  }
  return m;
}

/** x [B, T, d] -> [B, T, d]. `rng` null means no dropout (evaluation). */
export function causalSelfAttention(x: tf.Tensor3D, p: AttentionParams, heads: number, pDrop: number, rng: Rng | null): tf.Tensor3D {
  const d = x.shape[2];
  if (d % heads !== 0) throw new Error(`attention: model dimension ${d} is not divisible by ${heads} heads`);
  const qkv = linear(x, p.wqkv, p.bqkv) as tf.Tensor3D; // [B, T, 3d]
  // per head softmax(q kᵀ / sqrt(dh) + mask) with dropout, times v, heads merged (fused natively)
  const drop = rng && pDrop > 0 ? { rate: pDrop, key: { k0: rng.nextUint32(), k1: rng.nextUint32() } } : null;
  const merged = causalAttention(qkv, heads, drop);
  return linear(merged, p.wo, p.bo) as tf.Tensor3D;
}
