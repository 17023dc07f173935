/**
 * The core of causal multi-head self-attention on a packed projection qkv [B, T, 3d] (q, k, v
 * side by side, each split into `heads` heads of d/heads): per head softmax(q kᵀ / sqrt(dh) +
 * causal mask), dropout on those weights, times v; heads concatenated -> [B, T, d].
 *
 * The DfaCausalAttention kernel (causal_attention_kernel.ts) on every backend. Natively one kernel
 * forward (per head: GEMM, causal softmax, dropout, GEMM, written straight into the merged layout;
 * heads spread over the threads) and one backward (the exact gradient through W_V's values,
 * appendix D), with no head split/merge transposes. On tfjs's backends: tfjs ops (transpose,
 * batched matMul, the scaled softmax and dropout kernels on the [B·H, T, T] weights), which draw
 * the identical dropout mask. Other dtypes, or weights past 2^32 entries: the composite.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { DFA_CAUSAL_ATTENTION, attentionAttrs, type AttentionDropout } from './causal_attention_kernel';
import { causalAttentionComposite } from '../cpu/causal_attention';

export type { AttentionDropout };

function check(qkv: tf.Tensor, heads: number): [number, number, number] {
  if (qkv.rank !== 3 || qkv.shape[2]! % 3 !== 0) throw new Error(`causalAttention: qkv must be [batch, time, 3·d], got [${qkv.shape}]`);
  const [B, T, d3] = qkv.shape as [number, number, number];
  if (!Number.isInteger(heads) || heads < 1 || (d3 / 3) % heads !== 0) throw new Error(`causalAttention: model dimension ${d3 / 3} is not divisible by ${heads} heads`);
  return [B, T, d3 / 3];
}

export function causalAttention(qkv: tf.Tensor3D, heads: number, dropout: AttentionDropout | null = null): tf.Tensor3D {
  const [B, T, d] = check(qkv, heads);
  if (qkv.dtype !== 'float32' || T * T * B * heads >= 2 ** 32) return causalAttentionComposite(qkv, heads, dropout);
  const [ctx, P] = tf.engine().runKernel(DFA_CAUSAL_ATTENTION, { qkv }, attentionAttrs(d, heads, dropout) as unknown as tf.NamedAttrMap) as tf.Tensor[];
  P!.dispose(); // the tape keeps its own copy for the backward
  return ctx as tf.Tensor3D;
}
