/**
 * The core of causal multi-head self-attention on a packed projection qkv [B, T, 3d] (q, k, v
 * side by side, each split into `heads` heads of d/heads): per head softmax(q kᵀ / sqrt(dh) +
 * causal mask), dropout on those weights, times v; heads concatenated -> [B, T, d].
 *
 * Native backend: one kernel forward (per head: GEMM, causal softmax, dropout, GEMM, written
 * straight into the merged layout; heads spread over the threads) and one backward (the exact
 * gradient through W_V's values, appendix D), with no head split/merge transposes. Elsewhere:
 * tfjs ops (transpose, batched matMul, scaledSoftmax, seededDropout on the [B·H, T, T] weights),
 * which draw the identical dropout mask.
 */
import * as tf from '@tensorflow/tfjs';
import { currentNativeBackend } from '../native/current';
import { scaledSoftmax } from './scaled_softmax';
import { seededDropout, dropoutAttrs, type DropoutKey } from './dropout';

export interface AttentionDropout {
  rate: number;
  key: DropoutKey;
}

function check(qkv: tf.Tensor, heads: number): [number, number, number] {
  if (qkv.rank !== 3 || qkv.shape[2]! % 3 !== 0) throw new Error(`causalAttention: qkv must be [batch, time, 3·d], got [${qkv.shape}]`);
  const [B, T, d3] = qkv.shape as [number, number, number];
  if (!Number.isInteger(heads) || heads < 1 || (d3 / 3) % heads !== 0) throw new Error(`causalAttention: model dimension ${d3 / 3} is not divisible by ${heads} heads`);
  return [B, T, d3 / 3];
}

export function causalAttentionComposite(qkv: tf.Tensor3D, heads: number, dropout: AttentionDropout | null): tf.Tensor3D {
  const [B, T, d] = check(qkv, heads);
  const dh = d / heads;
  // [B, T, 3, H, dh] -> [3, B, H, T, dh]
  const split = tf.transpose(tf.reshape(qkv, [B, T, 3, heads, dh]), [2, 0, 3, 1, 4]);
  const [q, k, v] = tf.unstack(split, 0).map((t) => tf.reshape(t, [B * heads, T, dh]) as tf.Tensor3D) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  let probs = scaledSoftmax(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh), true);
  if (dropout && dropout.rate > 0) probs = seededDropout(probs, dropout.rate, dropout.key);
  const ctx = tf.matMul(probs as tf.Tensor3D, v); // [B*H, T, dh]
  return tf.reshape(tf.transpose(tf.reshape(ctx, [B, heads, T, dh]), [0, 2, 1, 3]), [B, T, d]);
}

export function causalAttention(qkv: tf.Tensor3D, heads: number, dropout: AttentionDropout | null = null): tf.Tensor3D {
  const [, T, d] = check(qkv, heads);
  if (!currentNativeBackend() || qkv.dtype !== 'float32' || T * T * qkv.shape[0] * heads >= 2 ** 32) return causalAttentionComposite(qkv, heads, dropout);
  const drop = dropout && dropout.rate > 0 ? dropoutAttrs(dropout.rate, dropout.key) : { k0: 0, k1: 0, threshold: 2 ** 24, scale: 1 };
  const attrs = { heads, scale: 1 / Math.sqrt(d / heads), k0: drop.k0, k1: drop.k1, threshold: drop.threshold, dropScale: drop.scale };
  const f = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const [ctx, P] = tf.engine().runKernel('DfaCausalAttention', { qkv: x }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save([x, P!]);
    return {
      value: ctx!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.engine().runKernel('DfaCausalAttentionGrad', { dctx: dy, qkv: saved[0]!, P: saved[1]! }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor,
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(qkv) as tf.Tensor3D;
}
