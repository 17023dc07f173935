import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../engine/rng';
import { layerNorm } from './layer_norm';
import { causalSelfAttention } from '../attention';
import { crossEntropy, perplexity } from './cross_entropy';

/**
 * Central finite differences of the scalar f at every entry of each argument (float32, so
 * eps 1e-2 and a relative tolerance on the gradient's scale).
 */
function fdCheck(f: (...xs: tf.Tensor[]) => tf.Scalar, args: tf.Tensor[], eps = 1e-2, tol = 2e-2): number {
  const grads = tf.grads(f)(args);
  let worst = 0;
  args.forEach((a, k) => {
    const base = a.dataSync().slice() as Float32Array;
    const g = grads[k]!.dataSync();
    const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
    for (let i = 0; i < base.length; i++) {
      const at = (d: number) => {
        const x = base.slice();
        x[i] = x[i]! + d;
        const xs = args.map((b, j) => (j === k ? tf.tensor(x, a.shape) : b));
        const v = f(...xs).dataSync()[0]!;
        return v;
      };
      const num = (at(eps) - at(-eps)) / (2 * eps);
      const err = Math.abs(num - g[i]!) / scale;
      worst = Math.max(worst, err);
      assert.ok(err < tol, `argument ${k} entry ${i}: finite difference ${num} vs gradient ${g[i]} (relative ${err.toExponential(2)})`);
    }
  });
  return worst;
}

test('layer norm: zero mean, unit variance, gradients match finite differences', () => {
  tf.tidy(() => {
    const rng = new Rng(1);
    const x = tf.tensor(rng.normalArray(3 * 6, 0.5, 2), [3, 6]);
    const g = tf.tensor(rng.normalArray(6, 1, 0.3));
    const b = tf.tensor(rng.normalArray(6, 0, 0.3));
    const y = layerNorm(x, tf.onesLike(g), tf.zerosLike(b));
    const { mean, variance } = tf.moments(y, -1);
    assert.ok(tf.max(tf.abs(mean)).dataSync()[0]! < 1e-5);
    assert.ok(tf.max(tf.abs(tf.sub(variance, 1))).dataSync()[0]! < 1e-3);
    const R = tf.tensor(rng.normalArray(18), [3, 6]); // random projection makes every output count
    fdCheck((xx, gg, bb) => tf.sum(tf.mul(layerNorm(xx!, gg!, bb!), R)) as tf.Scalar, [x, g, b]);
  });
});

test('causal attention: gradients for input and all weights match finite differences', () => {
  tf.tidy(() => {
    const rng = new Rng(2);
    const B = 2, T = 4, d = 6, H = 2;
    const x = tf.tensor(rng.normalArray(B * T * d), [B, T, d]) as tf.Tensor3D;
    const wqkv = tf.tensor(rng.normalArray(d * 3 * d, 0, 0.4), [d, 3 * d]);
    const bqkv = tf.tensor(rng.normalArray(3 * d, 0, 0.1));
    const wo = tf.tensor(rng.normalArray(d * d, 0, 0.4), [d, d]);
    const bo = tf.tensor(rng.normalArray(d, 0, 0.1));
    const R = tf.tensor(rng.normalArray(B * T * d), [B, T, d]);
    const f = (xx: tf.Tensor, a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, e: tf.Tensor) =>
      tf.sum(tf.mul(causalSelfAttention(xx as tf.Tensor3D, { wqkv: a, bqkv: b, wo: c, bo: e }, H, 0, null), R)) as tf.Scalar;
    fdCheck(f as (...xs: tf.Tensor[]) => tf.Scalar, [x, wqkv, bqkv, wo, bo]);
  });
});

test('causal attention: no position sees the future', () => {
  tf.tidy(() => {
    const rng = new Rng(3);
    const T = 5, d = 8;
    const p = { wqkv: tf.tensor(rng.normalArray(d * 3 * d, 0, 0.3), [d, 3 * d]), bqkv: tf.zeros([3 * d]), wo: tf.tensor(rng.normalArray(d * d, 0, 0.3), [d, d]), bo: tf.zeros([d]) };
    const xa = rng.normalArray(T * d);
    const xb = xa.slice();
    for (let j = 3 * d; j < T * d; j++) xb[j] = xb[j]! + 5 * rng.normal(); // perturb positions 3, 4
    const ya = causalSelfAttention(tf.tensor(xa, [1, T, d]) as tf.Tensor3D, p, 2, 0, null).dataSync();
    const yb = causalSelfAttention(tf.tensor(xb, [1, T, d]) as tf.Tensor3D, p, 2, 0, null).dataSync();
    for (let j = 0; j < 3 * d; j++) assert.ok(Math.abs(ya[j]! - yb[j]!) < 1e-6, `position ${Math.floor(j / d)} changed`);
    let moved = 0;
    for (let j = 3 * d; j < T * d; j++) moved = Math.max(moved, Math.abs(ya[j]! - yb[j]!));
    assert.ok(moved > 1e-2);
  });
});

test('cross-entropy and perplexity against a hand-computed case; fused gradient vs finite differences', () => {
  tf.tidy(() => {
    // row 0: uniform over 3 -> NLL ln 3; row 1: logits (ln 4, 0, 0), target 0 -> p = 4/6, NLL ln 1.5
    const logits = tf.tensor2d([[0, 0, 0], [Math.log(4), 0, 0]]);
    const t = tf.tensor1d([1, 0], 'int32');
    const nll = crossEntropy(logits, t).dataSync()[0]!;
    assert.ok(Math.abs(nll - (Math.log(3) + Math.log(1.5)) / 2) < 1e-6);
    assert.ok(Math.abs(perplexity(nll) - Math.sqrt(4.5)) < 1e-5); // exp(mean NLL) = sqrt(3 * 1.5)
    const rng = new Rng(4);
    const z = tf.tensor2d(rng.normalArray(4 * 5), [4, 5]);
    const tt = tf.tensor1d([0, 4, 2, 2], 'int32');
    fdCheck((zz) => crossEntropy(zz as tf.Tensor2D, tt), [z]);
  });
});
