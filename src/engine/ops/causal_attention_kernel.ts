/**
 * The DfaCausalAttention kernel: qkv [B, T, 3d] (q, k, v side by side, each split into `heads`
 * heads of dh = d / heads) -> ctx [B, T, d] (per head softmax(q kᵀ · scale + causal mask), dropout
 * on those weights, times v; heads merged) and P [B, heads, T, T] (the weights before dropout,
 * kept for the backward). Its gradient (registered by name) is the DfaCausalAttentionGrad kernel.
 * Native: src/engine/native/kernels/transformer.ts; tfjs's backends: src/engine/cpu/causal_attention.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';
import { dropoutAttrs, type DropoutKey } from './dropout_kernel';

export const DFA_CAUSAL_ATTENTION = 'DfaCausalAttention';
export const DFA_CAUSAL_ATTENTION_GRAD = 'DfaCausalAttentionGrad';

/** The kernels' attributes: heads, the logits' scale, and the dropout mask's (threshold 2^24, scale 1: none). */
export interface AttentionAttrs { heads: number; scale: number; k0: number; k1: number; threshold: number; dropScale: number }

export interface AttentionDropout {
  rate: number;
  key: DropoutKey;
}

/** The attributes for `heads` heads over a model dimension d, with or without dropout on the weights. */
export function attentionAttrs(d: number, heads: number, dropout: AttentionDropout | null): AttentionAttrs {
  const drop = dropout && dropout.rate > 0 ? dropoutAttrs(dropout.rate, dropout.key) : { k0: 0, k1: 0, threshold: 2 ** 24, scale: 1 };
  return { heads, scale: 1 / Math.sqrt(d / heads), k0: drop.k0, k1: drop.k1, threshold: drop.threshold, dropScale: drop.scale };
}

export const causalAttentionGrad: GradConfig = {
  kernelName: DFA_CAUSAL_ATTENTION,
  inputsToSave: ['qkv'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved, attrs) => {
    const [qkv, P] = saved;
    const dctx = (dys as tf.Tensor[])[0]!;
    return { qkv: () => tf.engine().runKernel(DFA_CAUSAL_ATTENTION_GRAD, { dctx, qkv: qkv!, P: P! }, attrs) as tf.Tensor };
  },
};
