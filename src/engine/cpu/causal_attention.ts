/**
 * DfaCausalAttention and DfaCausalAttentionGrad on tfjs's backends: the composite the library ran
 * before (split the heads with reshape / transpose / unstack, batched matMul, the scaled causal
 * softmax and dropout kernels on the [B·H, T, T] weights, matMul, merge the heads) and tfjs's
 * autodiff of it.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { DFA_CAUSAL_ATTENTION, DFA_CAUSAL_ATTENTION_GRAD, attentionAttrs, type AttentionAttrs, type AttentionDropout } from '../ops/causal_attention_kernel';
import { DFA_DROPOUT } from '../ops/dropout_kernel';
import { DFA_SCALED_SOFTMAX, DFA_SOFTMAX_GRAD } from '../ops/scaled_softmax_kernel';
import { tfOpsKernel } from './kernel';

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: object) => tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
const SPLIT = [2, 0, 3, 1, 4]; // [B, T, 3, H, dh] -> [3, B, H, T, dh]
const SPLIT_UNDO = [1, 3, 0, 2, 4];
const MERGE = [0, 2, 1, 3]; // [B, H, T, dh] <-> [B, T, H, dh] (its own inverse)

const dropsOut = (a: AttentionAttrs) => a.threshold < 2 ** 24 || a.dropScale !== 1;
const dropAttrs = (a: AttentionAttrs) => ({ k0: a.k0, k1: a.k1, threshold: a.threshold, scale: a.dropScale });

/** q, k, v [B·H, T, dh] from qkv [B, T, 3d]. */
function splitHeads(qkv: tf.Tensor, H: number) {
  const [B, T, d3] = qkv.shape as [number, number, number];
  const dh = d3 / 3 / H;
  const split = tf.transpose(tf.reshape(qkv, [B, T, 3, H, dh]), SPLIT);
  const [q, k, v] = tf.unstack(split, 0).map((t) => tf.reshape(t, [B * H, T, dh])) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
  return { q, k, v, B, T, H, dh };
}

const drop = (probs: tf.Tensor, a: AttentionAttrs) => (dropsOut(a) ? run(DFA_DROPOUT, { x: probs }, dropAttrs(a)) : probs) as tf.Tensor3D;

/** The composite's forward: the output and the weights before dropout. */
function steps(qkv: tf.Tensor, a: AttentionAttrs) {
  const { q, k, v, B, T, H, dh } = splitHeads(qkv, a.heads);
  const probs = run(DFA_SCALED_SOFTMAX, { x: tf.matMul(q, k, false, true) }, { scale: a.scale, causal: true });
  const ctx = tf.matMul(drop(probs, a), v);
  const out = tf.reshape(tf.transpose(tf.reshape(ctx, [B, H, T, dh]), MERGE), [B, T, H * dh]);
  return { out, P: tf.reshape(probs, [B, H, T, T]) };
}

/** The composite (the reference the kernels are tested against, and the path for huge T). */
export function causalAttentionComposite(qkv: tf.Tensor3D, heads: number, dropout: AttentionDropout | null): tf.Tensor3D {
  return steps(qkv, attentionAttrs(qkv.shape[2] / 3, heads, dropout)).out as tf.Tensor3D;
}

export const causalAttentionCpuKernels: KernelConfig[] = [
  tfOpsKernel(DFA_CAUSAL_ATTENTION, ({ qkv }, attrs) => {
    const f = steps(qkv!, attrs as unknown as AttentionAttrs);
    return [f.out, f.P];
  }),
  tfOpsKernel(DFA_CAUSAL_ATTENTION_GRAD, ({ dctx, qkv, P }, attrs) => {
    const a = attrs as unknown as AttentionAttrs;
    const { q, k, v, B, T, H, dh } = splitHeads(qkv!, a.heads);
    const probs = tf.reshape(P!, [B * H, T, T]);
    const dropped = drop(probs, a);
    // out = reshape(transpose(reshape(ctx))): undo the layout
    const dCtx = tf.reshape(tf.transpose(tf.reshape(dctx!, [B, T, H, dh]), MERGE), [B * H, T, dh]) as tf.Tensor3D;
    // ctx = dropped · v
    const dDropped = tf.matMul(dCtx, v, false, true);
    const dv = tf.matMul(dropped, dCtx, true, false);
    const dProbs = dropsOut(a) ? run(DFA_DROPOUT, { x: dDropped }, dropAttrs(a)) : dDropped;
    const dScores = run(DFA_SOFTMAX_GRAD, { y: probs, dy: dProbs }, { scale: a.scale }) as tf.Tensor3D;
    // scores = q · kᵀ
    const dq = tf.matMul(dScores, k, false, false);
    const dk = tf.matMul(dScores, q, true, false);
    // unstack / transpose / reshape of qkv
    const dSplit = tf.stack([dq, dk, dv].map((t) => tf.reshape(t, [B, H, T, dh])), 0);
    return tf.reshape(tf.transpose(dSplit, SPLIT_UNDO), qkv!.shape);
  }),
];
