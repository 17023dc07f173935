/**
 * The message-passing ops (gatherRows, scatterAdd, propagate, segmentSoftmax, spmm): values by
 * hand, gradients by finite differences, and the native backend's kernels against the cpu
 * backend's JS loops (values and gradients).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { NATIVE_BACKEND } from '../native/name';
import { assertAllClose, assertClose, fdCheck, nativeSkip, onBackend } from '../../../test/helpers';
import { gatherRows, scatterAdd } from './gather_rows';
import { propagate, type EdgeList } from './propagate';
import { segmentSoftmax } from './segment_softmax';
import { csrToDense, spmm, type Csr } from './spmm';

/** 5 nodes, undirected edges 0-1, 1-2, 2-3, 3-0, 1-3, 2-4 (both directions), sorted. */
function smallGraph(): EdgeList {
  const und = [[0, 1], [1, 2], [2, 3], [3, 0], [1, 3], [2, 4]];
  const all = und.flatMap(([a, b]) => [[a!, b!], [b!, a!]]).sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!);
  return { numNodes: 5, src: Int32Array.from(all.map((p) => p[0]!)), dst: Int32Array.from(all.map((p) => p[1]!)) };
}

/** Values in [-1, 1) from a seeded stream. */
const rand = (shape: number[], seed: number) => tf.tensor(new Rng(seed).uniformArray(shape.reduce((a, b) => a * b, 1), -1, 1), shape);
const TOL = 1e-2;

test('gatherRows / scatterAdd: values and gradients', () => {
  const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const idx = Int32Array.from([2, 0, 2]);
  assertAllClose(gatherRows(x, idx), [5, 6, 1, 2, 5, 6]);
  assertAllClose(scatterAdd(x, Int32Array.from([1, 1, 0]), 2), [5, 6, 4, 6]);
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(gatherRows(t, idx), tf.tensor2d([[1, 10], [100, 1000], [1, 1]]))))(x);
  assertAllClose(g, [100, 1000, 0, 0, 2, 11]); // row 2 gathered twice: its gradient adds up
  const R = rand([2, 2], 1);
  fdCheck((t) => tf.sum(tf.mul(scatterAdd(tf.square(t), Int32Array.from([1, 1, 0]), 2), R)) as tf.Scalar, [x], 1e-2, TOL);
  assert.throws(() => gatherRows(x, Int32Array.from([3])), /index 3 .* outside \[0, 3\)/);
  tf.dispose([x, g, R]);
});

test('propagate: Σ over incoming edges, weights and multi-head, with gradients for x and w', () => {
  const g = smallGraph(), E = g.src.length;
  const x = rand([5, 4], 3), w = tf.abs(rand([E], 5));
  const xv = x.dataSync(), wv = w.dataSync();
  const want = new Float32Array(20);
  for (let e = 0; e < E; e++) for (let c = 0; c < 4; c++) want[g.dst[e]! * 4 + c]! += wv[e]! * xv[g.src[e]! * 4 + c]!;
  assertClose(propagate(x, g, w), want);
  assertClose(propagate(x, g, Float32Array.from(wv)), want, 1e-6, 'constant weights');
  const R = rand([5, 4], 7);
  fdCheck((a, b) => tf.sum(tf.mul(propagate(tf.tanh(a), g, b), R)) as tf.Scalar, [x, w], 1e-2, TOL);
  // two heads of two channels, per-head weights
  const w2 = tf.abs(rand([E, 2], 9));
  const w2v = w2.dataSync();
  const want2 = new Float32Array(20);
  for (let e = 0; e < E; e++) for (let c = 0; c < 4; c++) want2[g.dst[e]! * 4 + c]! += w2v[e * 2 + (c < 2 ? 0 : 1)]! * xv[g.src[e]! * 4 + c]!;
  assertClose(propagate(x, g, w2, 2), want2);
  fdCheck((a, b) => tf.sum(tf.mul(propagate(tf.tanh(a), g, b, 2), R)) as tf.Scalar, [x, w2], 1e-2, TOL);
  assert.throws(() => propagate(x, g, new Float32Array(3)), /3 edge weights for 12 edges/);
  tf.dispose([x, w, w2, R]);
});

test('segmentSoftmax sums to one per target, gradient matches finite differences', () => {
  const g = smallGraph(), E = g.src.length;
  const s = rand([E, 2], 11);
  const a = segmentSoftmax(s, g.dst, 5).dataSync();
  const sums = new Float32Array(10);
  for (let e = 0; e < E; e++) for (let h = 0; h < 2; h++) sums[g.dst[e]! * 2 + h]! += a[e * 2 + h]!;
  assertAllClose(sums, new Float32Array(10).fill(1));
  const R = rand([E, 2], 12);
  fdCheck((t) => tf.sum(tf.mul(segmentSoftmax(t, g.dst, 5), R)) as tf.Scalar, [s], 1e-2, TOL);
  tf.dispose([s, R]);
});

test('spmm equals the dense product; its W gradient is Xᵀ dy', () => {
  const x: Csr = { numRows: 3, numCols: 5, indptr: Int32Array.from([0, 2, 2, 5]), indices: Int32Array.from([1, 4, 0, 2, 4]), data: Float32Array.from([1, 2, 3, 0.5, -1]) };
  const W = rand([5, 6], 13);
  const dense = csrToDense(x);
  assertClose(spmm(x, W), tf.matMul(dense, W));
  const R = rand([3, 6], 14);
  const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(spmm(x, w), R)))(W);
  assertClose(g, tf.matMul(dense, R, true, false));
  tf.dispose([W, dense, R, g]);
});

test('native kernels equal the cpu backend\'s JS loops (values and gradients)', { skip: nativeSkip() }, async () => {
  const g = smallGraph(), E = g.src.length;
  const idx = Int32Array.from([4, 0, 4, 2]);
  const run = () => {
    const x = rand([5, 4], 21), w = tf.abs(rand([E, 2], 22)), s = rand([E, 2], 23);
    const wc = Float32Array.from(tf.abs(rand([E], 24)).dataSync());
    const f = (xx: tf.Tensor, ww: tf.Tensor, ss: tf.Tensor) => {
      const a = propagate(tf.tanh(xx), g, ww, 2);
      const b = propagate(xx, g, wc);
      const c = propagate(xx, g);
      const sm = segmentSoftmax(ss, g.dst, 5);
      const r = gatherRows(scatterAdd(gatherRows(xx, idx), idx, 5), g.src);
      return tf.addN([tf.sum(tf.mul(a, rand([5, 4], 25))), tf.sum(tf.mul(b, rand([5, 4], 26))), tf.sum(tf.mul(c, rand([5, 4], 27))), tf.sum(tf.mul(sm, rand([E, 2], 28))), tf.sum(tf.mul(r, rand([E, 4], 29)))]) as tf.Scalar;
    };
    const { value, grads } = tf.valueAndGrads(f)([x, w, s]);
    return [value.dataSync(), ...grads.map((t) => t.dataSync())];
  };
  const native = await onBackend(NATIVE_BACKEND, run), cpu = await onBackend('cpu', run);
  assert.equal(native.length, 4);
  for (let i = 0; i < native.length; i++) assertClose(native[i]!, cpu[i]!, 1e-5, ['value', 'dx', 'dw', 'ds'][i]);
});
