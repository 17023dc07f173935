/**
 * The fused training-mode batch norm: native kernels against the tfjs composite on the cpu backend
 * (y, batch mean and variance, and the three gradients), batches on both sides of the threading
 * threshold, and a hand-computed case.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { nativeSkip as skipReason, onBackend } from '../../../test/helpers';
import { Rng } from '../rng';
import { NATIVE_BACKEND } from '../native/name';
import { batchNormTrain } from './batch_norm';
import { batchNormTrainComposite } from '../cpu/batch_norm';

const nativeSkip = skipReason();
const rng = new Rng(11);

/** max |a − b| / max(1, max |b|): dx is ~0 for two rows, where a plain relative error measures rounding noise. */
function maxRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, m = 1;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    m = Math.max(m, Math.abs(b[i]!));
  }
  return d / m;
}

test('batch norm (training) by hand: two rows', () => {
  const r = tf.tidy(() => {
    const { y, mean, variance } = batchNormTrain(tf.tensor2d([[1, 10], [3, 14]]), tf.tensor1d([2, 1]), tf.tensor1d([0, 5]));
    return [y, mean, variance].map((t) => Array.from(t.dataSync()));
  });
  // column 0: mean 2, var 1 → xhat ∓1 → y = 2·xhat; column 1: mean 12, var 4 → xhat ∓1 → y = xhat + 5
  const k = 1 / Math.sqrt(1 + 1e-5), k2 = 2 / Math.sqrt(4 + 1e-5);
  [[-2 * k, 5 - k2], [2 * k, 5 + k2]].flat().forEach((v, i) => assert.ok(Math.abs(r[0]![i]! - v) < 1e-5, `y[${i}] = ${r[0]![i]}, expected ${v}`));
  assert.deepEqual(r[1], [2, 12]);
  assert.deepEqual(r[2], [1, 4]);
});

test('fused batch norm equals the tfjs composite: y, statistics and the gradients of x, gamma, beta', { skip: nativeSkip }, async () => {
  for (const [N, C] of [[1, 1], [2, 3], [5, 1], [33, 17], [2048, 96]] as const) {
    const xv = rng.uniformArray(N * C, -3, 3).map((v, i) => v + (i % C)); // column offsets: the mean matters
    const gv = rng.uniformArray(C, 0.5, 2), bv = rng.uniformArray(C, -1, 1), r = rng.normalArray(N * C);
    const run = (f: typeof batchNormTrain) => () => tf.tidy(() => {
      const x = tf.tensor2d(xv, [N, C]), g = tf.tensor1d(gv), b = tf.tensor1d(bv), R = tf.tensor2d(r, [N, C]);
      const out = f(x, g, b);
      const grads = tf.grads((a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor2D, gg, bb).y, R)))([x, g, b]);
      return [out.y, out.mean, out.variance, ...grads].map((t) => Float32Array.from(t.dataSync()));
    });
    const ref = await onBackend('cpu', run(batchNormTrainComposite));
    const got = await onBackend(NATIVE_BACKEND, run(batchNormTrain));
    ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => {
      const e = maxRel(got[i]!, ref[i]!);
      assert.ok(e < 5e-5, `[${N}, ${C}] ${name}: relative error ${e.toExponential(2)}`);
    });
  }
});

test('batch norm rejects gamma that does not fit x', () => {
  assert.throws(() => tf.tidy(() => batchNormTrain(tf.zeros([4, 3]) as tf.Tensor2D, tf.ones([2]), tf.zeros([3])).y), /must be \[batch, 2\]/);
});
