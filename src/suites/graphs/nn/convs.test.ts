import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { ChebConv } from './cheb_conv';
import { GATConv } from './gat_conv';
import { GCNConv } from './gcn_conv';
import { SplineConv } from './spline_conv';
import { sparse } from './input';
import { gradCheck, probe, smallGraph } from './testing';
import type { Csr } from '../data/planetoid';

const g = smallGraph();
const N = 5, F = 3, H = 4;
/** Dense adjacency A[i][j] = 1 for an edge j → i. */
const A: number[][] = Array.from({ length: N }, () => new Array(N).fill(0));
for (let e = 0; e < g.numEdges; e++) A[g.dst[e]!]![g.src[e]!] = 1;
const deg = A.map((r) => r.reduce((a, b) => a + b, 0));

function mm(a: number[][], b: number[][]): number[][] {
  return a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}
const rows = (t: tf.Tensor): number[][] => t.arraySync() as number[][];
function close(got: tf.Tensor, want: number[][], tol = 1e-4): void {
  const a = rows(got);
  for (let i = 0; i < want.length; i++) for (let j = 0; j < want[0]!.length; j++) assert.ok(Math.abs(a[i]![j]! - want[i]![j]!) < tol, `[${i},${j}] ${a[i]![j]} vs ${want[i]![j]}`);
}
const addBias = (m: number[][], b: ArrayLike<number>) => m.map((r) => r.map((v, j) => v + b[j]!));

test('GCNConv: Â X W + b by hand, gradients by finite differences, sparse input = dense input', () => {
  const conv = new GCNConv(new Rng(1), F, H);
  conv.bias.assign(probe([H], 2));
  const x = tf.variable(probe([N, F], 3));
  const Ahat = A.map((r, i) => r.map((v, j) => (v + (i === j ? 1 : 0)) / Math.sqrt((deg[i]! + 1) * (deg[j]! + 1))));
  close(conv.forward(x, g), addBias(mm(mm(Ahat, rows(x)), rows(conv.weight)), conv.bias.dataSync()));
  assert.ok(gradCheck(() => tf.sum(tf.mul(tf.tanh(conv.forward(x, g)), probe([N, H], 4))) as tf.Scalar, [x, ...conv.params()]) < 1e-2);
  // the same layer on CSR features
  const xs = rows(x);
  const csr: Csr = { numRows: N, numCols: F, indptr: Int32Array.from({ length: N + 1 }, (_, i) => i * F), indices: Int32Array.from({ length: N * F }, (_, k) => k % F), data: Float32Array.from(xs.flat()) };
  close(conv.forward(sparse(csr), g), rows(conv.forward(x, g)));
  tf.dispose([x, ...conv.params()]);
});

test('ChebConv K=2 and K=3: Σ T_k(L̂) X W_k with L̂ = −D^-1/2 A D^-1/2, gradients by finite differences', () => {
  const L = A.map((r, i) => r.map((v, j) => (v ? -1 / Math.sqrt(deg[i]! * deg[j]!) : 0)));
  for (const K of [2, 3]) {
    const conv = new ChebConv(new Rng(5), F, H, K);
    conv.bias.assign(probe([H], 6));
    const x = tf.variable(probe([N, F], 7));
    const T0 = rows(x), T1 = mm(L, T0);
    let want = mm(T0, rows(conv.weights[0]!));
    want = want.map((r, i) => r.map((v, j) => v + mm(T1, rows(conv.weights[1]!))[i]![j]!));
    if (K === 3) {
      const T2 = mm(L, T1).map((r, i) => r.map((v, j) => 2 * v - T0[i]![j]!));
      const t2w = mm(T2, rows(conv.weights[2]!));
      want = want.map((r, i) => r.map((v, j) => v + t2w[i]![j]!));
    }
    close(conv.forward(x, g), addBias(want, conv.bias.dataSync()));
    assert.ok(gradCheck(() => tf.sum(tf.mul(tf.tanh(conv.forward(x, g)), probe([N, H], 8))) as tf.Scalar, [x, ...conv.params()]) < 1e-2);
    tf.dispose([x, ...conv.params()]);
  }
});

test('SplineConv (dim 1, kernel 2, degree 1): mean_j [(1−u) x_j W_0 + u x_j W_1] + x_i W_root + b', () => {
  const conv = new SplineConv(new Rng(9), F, H, 2);
  const x = tf.variable(probe([N, F], 10));
  const u = g.targetIndegree();
  const maxDeg = Math.max(...deg);
  for (let e = 0; e < g.numEdges; e++) assert.ok(Math.abs(u[e]! - deg[g.dst[e]!]! / maxDeg) < 1e-7);
  const xs = rows(x), W0 = rows(conv.weights[0]!), W1 = rows(conv.weights[1]!);
  const root = mm(xs, rows(conv.root));
  const want = root.map((r, i) => r.map((v, c) => {
    let s = 0;
    for (let e = 0; e < g.numEdges; e++) {
      if (g.dst[e] !== i) continue;
      const j = g.src[e]!, ue = u[e]!;
      for (let k = 0; k < F; k++) s += xs[j]![k]! * ((1 - ue) * W0[k]![c]! + ue * W1[k]![c]!);
    }
    return v + s / deg[i]! + conv.bias.dataSync()[c]!;
  }));
  close(conv.forward(x, g), want);
  assert.ok(gradCheck(() => tf.sum(tf.mul(tf.tanh(conv.forward(x, g)), probe([N, H], 11))) as tf.Scalar, [x, ...conv.params()]) < 1e-2);
  tf.dispose([x, ...conv.params()]);
});

test('GATConv, 2 heads: attention by hand (self loops, LeakyReLU 0.2, softmax per target), gradients by finite differences', () => {
  const heads = 2, C = 3;
  const conv = new GATConv(new Rng(12), F, C, heads, true, 0);
  conv.bias.assign(probe([heads * C], 13));
  const x = tf.variable(probe([N, F], 14));
  const h = mm(rows(x), rows(conv.weight)); // [N, heads*C]
  const as = rows(conv.attSrc), ad = rows(conv.attDst);
  const want = h.map((_, i) => new Array(heads * C).fill(0));
  for (let i = 0; i < N; i++) {
    const nb = [...Array(N).keys()].filter((j) => A[i]![j] || j === i);
    for (let k = 0; k < heads; k++) {
      const score = (j: number) => {
        let s = 0;
        for (let c = 0; c < C; c++) s += h[j]![k * C + c]! * as[k]![c]! + h[i]![k * C + c]! * ad[k]![c]!;
        return s > 0 ? s : 0.2 * s;
      };
      const ex = nb.map((j) => Math.exp(score(j)));
      const Z = ex.reduce((a, b) => a + b, 0);
      nb.forEach((j, t) => {
        for (let c = 0; c < C; c++) want[i]![k * C + c] += (ex[t]! / Z) * h[j]![k * C + c]!;
      });
    }
  }
  close(conv.forward(x, g, null), addBias(want, conv.bias.dataSync()));
  assert.ok(gradCheck(() => tf.sum(tf.mul(tf.tanh(conv.forward(x, g, null)), probe([N, heads * C], 15))) as tf.Scalar, [x, ...conv.params()], 1e-3) < 1e-2); // small eps: LeakyReLU has kinks
  // averaged heads, and attention dropout only while training
  const mean = new GATConv(new Rng(12), F, C, heads, false, 0.5);
  assert.deepEqual(mean.forward(x, g, null).shape, [N, C]);
  const a1 = mean.forward(x, g, new Rng(1)).dataSync(), a2 = mean.forward(x, g, null).dataSync();
  assert.ok(a1.some((v, i) => Math.abs(v - a2[i]!) > 1e-6));
  tf.dispose([x, ...conv.params(), ...mean.params()]);
});

test('DNAConv: with one history entry it is GCN propagation of lin_v(x); attention gradients by finite differences', async () => {
  const { DNAConv, GroupedLinear, historyAttention } = await import('./dna_conv');
  // grouped linear = block-diagonal matmul
  const gl = new GroupedLinear(new Rng(20), 4, 4, 2);
  const xin = probe([3, 4], 21);
  const Wg = gl.weight.arraySync() as number[][][];
  const Wd = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (Math.floor(i / 2) === Math.floor(j / 2) ? Wg[Math.floor(i / 2)]![i % 2]![j % 2]! : 0)));
  close(gl.forward(xin), addBias(mm(rows(xin), Wd), gl.bias.dataSync()));
  const C = 4;
  const conv = new DNAConv(new Rng(22), C, 2, 2);
  const x1 = tf.variable(probe([N, C], 23));
  const { graph, weight } = g.gcnNorm();
  const v = rows(conv.linV.forward(x1));
  const want = v.map(() => new Array(C).fill(0));
  for (let e = 0; e < graph.numEdges; e++) for (let c = 0; c < C; c++) want[graph.dst[e]!]![c] += weight[e]! * v[graph.src[e]!]![c]!;
  close(conv.forward([x1], g, null), want);
  // three history entries: finite differences through the fused attention op, all parameters
  const x3 = [24, 30, 31].map((s) => tf.variable(probe([N, C], s)));
  assert.ok(gradCheck(() => tf.sum(tf.mul(tf.tanh(conv.forward(x3, g, null)), probe([N, C], 25))) as tf.Scalar, [...x3, ...conv.params()], 1e-2) < 1e-2);
  // the op alone, with attention dropout (same mask in every call: a fresh Rng(7) each time)
  const Q = tf.variable(probe([N, C], 26)), K = tf.variable(probe([3 * N, C], 27)), V = tf.variable(probe([3 * N, C], 28));
  assert.ok(gradCheck(() => tf.sum(tf.mul(historyAttention(Q, K, V, graph, weight, 2, 0.3, new Rng(7)), probe([N, C], 29))) as tf.Scalar, [Q, K, V]) < 1e-2);
  tf.dispose([x1, ...x3, Q, K, V, ...conv.params(), ...gl.params()]);
});
