import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { sparseSoftmaxCrossEntropy } from './sparse_softmax_cross_entropy';

test('loss against a hand-computed case', () => {
  // logits [0, ln 3] → softmax [1/4, 3/4]; label 1 → −ln(3/4); label 0 → −ln(1/4)
  const logits = tf.tensor2d([[0, Math.log(3)], [0, Math.log(3)]]);
  const loss = sparseSoftmaxCrossEntropy(logits, tf.tensor1d([1, 0], 'int32'));
  const want = (-Math.log(3 / 4) - Math.log(1 / 4)) / 2;
  assert.ok(Math.abs(loss.dataSync()[0]! - want) < 1e-6);
});

test('gradient is (softmax − onehot)/N and matches finite differences, with leading dims', () => {
  const logits = tf.tensor3d([[[0.3, -1.2, 2.0], [1.0, 0.0, -0.5]], [[0.1, 0.2, 0.3], [-2, 2, 0]]]);
  const labels = tf.tensor2d([[2, 0], [1, 1]], undefined, 'int32');
  const g = tf.grad((l: tf.Tensor) => sparseSoftmaxCrossEntropy(l, labels))(logits);
  const want = tf.div(tf.sub(tf.softmax(logits), tf.oneHot(labels, 3)), 4);
  const d = tf.max(tf.abs(tf.sub(g, want))).dataSync()[0]!;
  assert.ok(d < 1e-6, `analytic ${d}`);
  const lv = logits.arraySync() as number[][][];
  const eps = 1e-2;
  const f = (x: number[][][]) => sparseSoftmaxCrossEntropy(tf.tensor3d(x), labels).dataSync()[0]!;
  const gv = g.arraySync() as number[][][];
  for (const [i, j, k] of [[0, 0, 0], [1, 1, 2], [0, 1, 1]] as const) {
    const p = structuredClone(lv), m = structuredClone(lv);
    p[i]![j]![k]! += eps;
    m[i]![j]![k]! -= eps;
    const fd = (f(p) - f(m)) / (2 * eps);
    assert.ok(Math.abs(fd - gv[i]![j]![k]!) < 1e-3, `fd ${fd} vs ${gv[i]![j]![k]}`);
  }
});

test('labels that do not fit are named', () => {
  assert.throws(() => sparseSoftmaxCrossEntropy(tf.zeros([3, 4]), tf.tensor1d([0, 1], 'int32')), /labels of shape \[2\] do not fit logits of shape \[3,4\]/);
  assert.throws(() => sparseSoftmaxCrossEntropy(tf.zeros([2, 4]), tf.tensor1d([0, 1])), /must be int32/);
});
