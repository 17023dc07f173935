/**
 * One update per optimizer, on every backend: natively one fused C pass per parameter, its slots
 * updated in place (src/engine/native/fused_optim.ts); elsewhere the same formulas as tfjs ops.
 * Each updates the variable and returns the slot tensors to keep: the ones given when they were
 * updated in place, else new tensors (the caller keeps them and disposes the old).
 */
import * as tf from '@tensorflow/tfjs';
import { nativeAdamStep, nativeSgdStep, type AdamHyper, type SgdHyper } from './native/fused_optim';

export type { AdamHyper, SgdHyper };

/**
 * Adam (PyTorch semantics: L2 decay added to the gradient) or, with `decoupled`, AdamW (w −= lr·wd·w
 * before the step); `step` is this variable's step count from 1, m and s its moment slots.
 */
export function adamStep(v: tf.Variable, g: tf.Tensor, m: tf.Tensor, s: tf.Tensor, step: number, h: AdamHyper): { m: tf.Tensor; s: tf.Tensor } {
  const fused = nativeAdamStep(v, g, m, s, step, h);
  if (fused) return fused;
  const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, decoupled } = h;
  const [m1, s1] = tf.tidy(() => {
    const w = wd > 0 && decoupled ? tf.mul(v, 1 - lr * wd) : v;
    const grad = wd > 0 && !decoupled ? tf.add(g, tf.mul(v, wd)) : g;
    const mNew = tf.add(tf.mul(m, b1), tf.mul(grad, 1 - b1));
    const sNew = tf.add(tf.mul(s, b2), tf.mul(tf.square(grad), 1 - b2));
    const mhat = tf.div(mNew, 1 - b1 ** step);
    const denom = tf.add(tf.sqrt(tf.div(sNew, 1 - b2 ** step)), eps);
    v.assign(tf.sub(w, tf.mul(tf.div(mhat, denom), lr)));
    return [mNew, sNew];
  });
  return { m: m1!, s: s1! };
}

/**
 * SGD, PyTorch semantics: g += wd·w; buf = μ·buf + g (buf = g at the first step); w −= lr·buf
 * (nesterov: lr·(g + μ·buf)). `buf` is the momentum slot (null without momentum).
 */
export function sgdStep(v: tf.Variable, g: tf.Tensor, buf: tf.Tensor | null, first: boolean, h: SgdHyper): { buf: tf.Tensor | null } {
  const fused = nativeSgdStep(v, g, buf, first, h);
  if (fused) return fused;
  const { lr, momentum, weightDecay: wd, nesterov } = h;
  const next = tf.tidy(() => {
    let d = wd > 0 ? tf.add(g, tf.mul(v, wd)) : g;
    const b = momentum > 0 ? (first || !buf ? d.clone() : tf.add(tf.mul(buf, momentum), d)) : null;
    if (b) d = nesterov ? tf.add(d, tf.mul(b, momentum)) : b;
    v.assign(tf.sub(v, tf.mul(d, lr)));
    return b ? [b] : [];
  });
  return { buf: next[0] ?? null };
}
