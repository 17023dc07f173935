import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { gatherRows, opsConfig, propagate, scatterAdd, segmentSoftmax, spmm, csrToDense } from './ops';
import { currentNativeBackend } from '../../../engine/native/current';
import { gradCheck, probe, smallGraph } from './testing';
import type { Csr } from '../data/planetoid';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)), `[${i}] ${a[i]} vs ${b[i]}`);
};

test('gatherRows / scatterAdd: values and gradients', () => {
  const x = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
  const idx = Int32Array.from([2, 0, 2]);
  close(gatherRows(x, idx).dataSync(), [5, 6, 1, 2, 5, 6]);
  close(scatterAdd(x, Int32Array.from([1, 1, 0]), 2).dataSync(), [5, 6, 4, 6]);
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherRows(t, idx), tf.tensor2d([[1, 10], [100, 1000], [1, 1]]))))(x);
  close(g.dataSync(), [100, 1000, 0, 0, 2, 11]); // row 2 gathered twice: its gradient adds up
  assert.ok(gradCheck(() => tf.sum(tf.mul(scatterAdd(tf.square(x), Int32Array.from([1, 1, 0]), 2), probe([2, 2]))) as tf.Scalar, [x]) < 1e-2);
  assert.throws(() => gatherRows(x, Int32Array.from([3])), /index 3 .* outside \[0, 3\)/);
  x.dispose();
});

test('propagate: Σ over incoming edges, weights and multi-head, with gradients for x and w', () => {
  const g = smallGraph();
  const x = tf.variable(probe([5, 4], 3));
  const w = tf.variable(tf.abs(probe([g.numEdges], 5)));
  const xv = x.dataSync(), wv = w.dataSync();
  const want = new Float32Array(20);
  for (let e = 0; e < g.numEdges; e++) for (let c = 0; c < 4; c++) want[g.dst[e]! * 4 + c]! += wv[e]! * xv[g.src[e]! * 4 + c]!;
  close(propagate(x, g, w).dataSync(), want);
  assert.ok(gradCheck(() => tf.sum(tf.mul(propagate(tf.tanh(x), g, w), probe([5, 4], 7))) as tf.Scalar, [x, w]) < 1e-2);
  // two heads of two channels, per-head weights
  const w2 = tf.variable(tf.abs(probe([g.numEdges, 2], 9)));
  const w2v = w2.dataSync();
  const want2 = new Float32Array(20);
  for (let e = 0; e < g.numEdges; e++) for (let c = 0; c < 4; c++) want2[g.dst[e]! * 4 + c]! += w2v[e * 2 + (c < 2 ? 0 : 1)]! * xv[g.src[e]! * 4 + c]!;
  close(propagate(x, g, w2, 2).dataSync(), want2);
  assert.ok(gradCheck(() => tf.sum(tf.mul(propagate(tf.tanh(x), g, w2, 2), probe([5, 4], 8))) as tf.Scalar, [x, w2]) < 1e-2);
  tf.dispose([x, w, w2]);
});

test('segmentSoftmax sums to one per target, gradient matches finite differences', () => {
  const g = smallGraph();
  const s = tf.variable(probe([g.numEdges, 2], 11));
  const a = segmentSoftmax(s, g.dst, 5).dataSync();
  const sums = new Float32Array(10);
  for (let e = 0; e < g.numEdges; e++) for (let h = 0; h < 2; h++) sums[g.dst[e]! * 2 + h]! += a[e * 2 + h]!;
  close(sums, new Float32Array(10).fill(1));
  assert.ok(gradCheck(() => tf.sum(tf.mul(segmentSoftmax(s, g.dst, 5), probe([g.numEdges, 2], 12))) as tf.Scalar, [s]) < 1e-2);
  s.dispose();
});

test('spmm equals the dense product; its W gradient is Xᵀ dy', () => {
  const x: Csr = { numRows: 3, numCols: 5, indptr: Int32Array.from([0, 2, 2, 5]), indices: Int32Array.from([1, 4, 0, 2, 4]), data: Float32Array.from([1, 2, 3, 0.5, -1]) };
  const W = tf.variable(probe([5, 6], 13));
  const dense = csrToDense(x);
  close(spmm(x, W).dataSync(), tf.matMul(dense, W).dataSync());
  const R = probe([3, 6], 14);
  const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(spmm(x, w), R)))(W);
  close(g.dataSync(), tf.matMul(dense, R, true, false).dataSync());
  tf.dispose([W, dense, R, g]);
});

test('native-kernel path equals the JS loops (values and gradients)', { skip: currentNativeBackend() ? false : 'native backend only' }, () => {
  const g = smallGraph();
  const x = tf.variable(probe([5, 4], 21));
  const w = tf.variable(tf.abs(probe([g.numEdges, 2], 22)));
  const s = tf.variable(probe([g.numEdges, 2], 23));
  const wc = Float32Array.from(tf.abs(probe([g.numEdges], 24)).dataSync());
  const idx = Int32Array.from([4, 0, 4, 2]);
  const f = () => {
    const a = propagate(tf.tanh(x), g, w, 2);
    const b = propagate(x, g, wc);
    const c = propagate(x, g);
    const sm = segmentSoftmax(s, g.dst, 5);
    const r = gatherRows(scatterAdd(gatherRows(x, idx), idx, 5), g.src);
    return tf.addN([tf.sum(tf.mul(a, probe([5, 4], 25))), tf.sum(tf.mul(b, probe([5, 4], 26))), tf.sum(tf.mul(c, probe([5, 4], 27))), tf.sum(tf.mul(sm, probe([g.numEdges, 2], 28))), tf.sum(tf.mul(r, probe([g.numEdges, 4], 29)))]) as tf.Scalar;
  };
  const run = (loops: boolean) => {
    opsConfig.loops = loops;
    try {
      const { value, grads } = tf.variableGrads(f, [x, w, s]);
      return [value.dataSync(), ...Object.values(grads).map((t) => t.dataSync())];
    } finally {
      opsConfig.loops = false;
    }
  };
  const nat = run(false), loops = run(true);
  assert.equal(nat.length, 4);
  for (let i = 0; i < nat.length; i++) close(nat[i]!, loops[i]!, 1e-5);
  tf.dispose([x, w, s]);
});
