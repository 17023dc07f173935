/**
 * Causal multi-head scaled dot-product self-attention (Vaswani et al. 2017), batched:
 * q, k, v = split(x W_qkv + b_qkv); per head softmax(q kᵀ / sqrt(d_k) + mask) v, the mask hiding
 * future positions; heads concatenated and projected by W_o. Its gradient is tfjs's exact
 * backward through the whole mechanism, which uses W_V (paper appendix D): that is what DFA runs
 * inside the attention sub-layer once the feedback reaches its top.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../engine/rng';
import { linear } from './linear';
import { dropout } from './dropout';

export interface AttentionParams {
  wqkv: tf.Tensor; // [d, 3d]
  bqkv: tf.Tensor; // [3d]
  wo: tf.Tensor; // [d, d]
  bo: tf.Tensor; // [d]
}

const masks = new Map<number, tf.Tensor2D>();

/** Additive causal mask [T, T]: 0 on and below the diagonal, -1e9 above (kept, shared). */
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
  const [B, T, d] = x.shape;
  if (d % heads !== 0) throw new Error(`attention: model dimension ${d} is not divisible by ${heads} heads`);
  const dh = d / heads;
  const qkv = linear(x, p.wqkv, p.bqkv); // [B, T, 3d]
  // [B, T, 3, H, dh] -> [3, B, H, T, dh]
  const split = tf.transpose(tf.reshape(qkv, [B, T, 3, heads, dh]), [2, 0, 3, 1, 4]);
  const [q, k, v] = tf.unstack(split, 0).map((t) => tf.reshape(t, [B * heads, T, dh]) as tf.Tensor3D) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)), causalMask(T));
  const probs = dropout(tf.softmax(scores, -1), pDrop, rng) as tf.Tensor3D;
  const ctx = tf.matMul(probs, v); // [B*H, T, dh]
  const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [B, heads, T, dh]), [0, 2, 1, 3]), [B, T, d]);
  return linear(merged, p.wo, p.bo) as tf.Tensor3D;
}
