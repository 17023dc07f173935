/**
 * AFN's fused logarithmic-layer activation: the native kernels against the tfjs composite on the
 * cpu backend (value and gradient, sizes on both sides of the threading threshold, inputs around
 * 0 where relu(expm1) bends), and the k = 1 GEMM (outer product) against the composite matMul.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { nativeSkip as skipReason, onBackend } from '../../../test/helpers';
import { Rng } from '../rng';
import { NATIVE_BACKEND } from '../native/name';
import { lnnActivation } from './lnn_activation';
import { lnnActivationComposite } from '../cpu/lnn_activation';

const nativeSkip = skipReason();
const rng = new Rng(5);

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

test('fused LNN activation equals relu(expm1) + transpose in value and gradient', { skip: nativeSkip }, async () => {
  for (const [B, D, L] of [[0, 2, 3], [1, 1, 1], [3, 2, 5], [4, 10, 37], [64, 10, 300]] as const) {
    const zv = rng.uniformArray(B * D * L, -2, 2);
    const r = rng.normalArray(B * D * L);
    const run = (f: (z: tf.Tensor2D) => tf.Tensor2D) => () => tf.tidy(() => {
      const z = tf.tensor2d(zv, [B * D, L]);
      const R = tf.tensor2d(r, [B, L * D]);
      const y = f(z);
      assert.deepEqual(y.shape, [B, L * D]);
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(f(x as tf.Tensor2D), R)))(z);
      return [Float32Array.from(y.dataSync()), Float32Array.from(g.dataSync())];
    });
    const [yRef, gRef] = await onBackend('cpu', run((z) => lnnActivationComposite(z, D)));
    const [y, g] = await onBackend(NATIVE_BACKEND, run((z) => lnnActivation(z, D)));
    // exp(z) − 1 vs expm1: absolute error of a few float ulps of e² ≈ 7.4
    assert.ok(maxAbs(y!, yRef!) < 5e-6, `value [${B},${D},${L}]: ${maxAbs(y!, yRef!)}`);
    assert.ok(maxAbs(g!, gRef!) < 5e-5, `gradient [${B},${D},${L}]: ${maxAbs(g!, gRef!)}`);
  }
});

test('fused LNN activation rejects a z whose rows are not batch × dim', async () => {
  const z = tf.zeros([7, 3]) as tf.Tensor2D;
  assert.throws(() => lnnActivation(z, 2), /must be \[batch·2, neurons\]/);
  z.dispose();
});

test('a k = 1 matMul (outer product) equals the cpu matMul, with and without transposes and bias', { skip: nativeSkip }, async () => {
  for (const [m, n] of [[1, 1], [5, 7], [2048, 300]] as const) {
    const av = rng.normalArray(m), bv = rng.normalArray(n), bias = rng.normalArray(n);
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const f = () => tf.tidy(() => {
        const a = tf.tensor2d(av, ta ? [1, m] : [m, 1]);
        const b = tf.tensor2d(bv, tb ? [n, 1] : [1, n]);
        return [tf.matMul(a, b, ta, tb).dataSync(), tf.fused.matMul({ a, b, transposeA: ta, transposeB: tb, bias: tf.tensor1d(bias) }).dataSync()].map((x) => Float32Array.from(x));
      });
      const ref = await onBackend('cpu', f);
      const got = await onBackend(NATIVE_BACKEND, f);
      assert.ok(maxAbs(got[0]!, ref[0]!) < 1e-5 && maxAbs(got[1]!, ref[1]!) < 1e-5, `[${m}x1]·[1x${n}] ta=${ta} tb=${tb}`);
    }
  }
});
