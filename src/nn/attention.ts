/**
 * Causal multi-head scaled dot-product self-attention (Vaswani et al. 2017), batched:
 * q, k, v = split(x W_qkv + b_qkv); per head softmax(q kᵀ / sqrt(d_k) + mask) v, the mask hiding
 * future positions; heads concatenated and projected by W_o. Its gradient is the exact backward
 * through the whole mechanism, which uses W_V (paper appendix D): that is what DFA runs inside
 * the attention sub-layer once the feedback reaches its top. The core (scores, softmax, dropout,
 * weighted values) is one fused op, src/engine/ops/causal_attention.ts; the two projections are
 * the feedback-aware `linear`, so FA treats them as weight layers ('<name>.wqkv', '<name>.wo').
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import { causalAttention } from '../engine/ops/causal_attention';
import type { Feedback } from '../feedback';
import { dropoutKey } from './dropout';
import { linear } from './linear';

export interface AttentionParams {
  wqkv: tf.Tensor; // [d, 3d]
  bqkv: tf.Tensor; // [3d]
  wo: tf.Tensor; // [d, d]
  bo: tf.Tensor; // [d]
}

export interface AttentionOptions {
  heads: number;
  /** dropout rate on the attention weights (default 0) */
  dropout?: number;
  /** dropout's stream; null/absent = evaluation (no dropout) */
  rng?: Rng | null;
  /** the training pass's Feedback, for layers FA treats */
  fb?: Feedback | null;
  /** the layer's name (FA's matrices: '<name>.wqkv', '<name>.wo'; default 'attn') */
  name?: string;
}

/** x [B, T, d] -> [B, T, d]. */
export function causalSelfAttention(x: tf.Tensor3D, p: AttentionParams, o: AttentionOptions): tf.Tensor3D {
  const d = x.shape[2];
  if (!Number.isInteger(o.heads) || o.heads < 1 || d % o.heads !== 0) throw new Error(`attention: model dimension ${d} is not divisible by ${o.heads} heads`);
  const rate = o.dropout ?? 0;
  const name = o.name ?? 'attn';
  const qkv = linear(x, p.wqkv, p.bqkv, o.fb, `${name}.wqkv`) as tf.Tensor3D; // [B, T, 3d]
  // per head softmax(q kᵀ / sqrt(dh) + mask) with dropout, times v, heads merged (fused natively)
  const drop = o.rng && rate > 0 ? { rate, key: dropoutKey(o.rng) } : null;
  const merged = causalAttention(qkv, o.heads, drop);
  return linear(merged, p.wo, p.bo, o.fb, `${name}.wo`) as tf.Tensor3D;
}
