import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { logSoftmax } from './log_softmax';

test('logSoftmax equals tf.logSoftmax in value and gradient', () => {
  const x = tf.tensor3d([[[1, 2, 3], [0, -5, 5]], [[100, 101, 99], [0, 0, 0]]]);
  const w = tf.tensor3d([[[0.3, -1, 2], [1, 0.5, -0.2]], [[0.1, 0.2, 0.3], [-1, 1, 0]]]);
  const d = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
  assert.ok(d(logSoftmax(x), tf.logSoftmax(x)) < 1e-5);
  const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(logSoftmax(t), w)))(x);
  const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.logSoftmax(t), w)))(x);
  assert.ok(d(g1, g2) < 1e-5, `grad diff ${d(g1, g2)}`);
  // hand-computed: logSoftmax([0, ln 3]) = [ln 1/4, ln 3/4]
  const y = logSoftmax(tf.tensor1d([0, Math.log(3)])).dataSync();
  assert.ok(Math.abs(y[0]! - Math.log(0.25)) < 1e-6 && Math.abs(y[1]! - Math.log(0.75)) < 1e-6);
});
