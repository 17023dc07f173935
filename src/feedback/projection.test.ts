import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose } from '../../test/helpers';
import { Rng } from '../engine/rng';
import { Feedback, type FeedbackOptions } from './index';
import type { ProjectionKind } from './projection';
import { quantizeRows } from './signal_path';
import { fwht, StructuredProjection } from './structured';
import { cols, directGrads64, lossFn, makeNet, mat, type M, mm, reference, scaled, vars } from './test_net';

/** A DFA Feedback whose matrix is drawn at construction (outDim × maxWidth). */
function drawn(opts: Omit<FeedbackOptions, 'method'>, outDim: number, maxWidth: number): Feedback {
  return new Feedback({ method: 'dfa', seed: 7, outDim, maxWidth, ...opts });
}

function stats(v: ArrayLike<number>) {
  const n = v.length;
  let s = 0, s2 = 0, nz = 0;
  for (let i = 0; i < n; i++) {
    s += v[i]!;
    s2 += v[i]! ** 2;
    if (v[i] !== 0) nz++;
  }
  return { mean: s / n, var: s2 / n - (s / n) ** 2, density: nz / n };
}

const distinct = (v: ArrayLike<number>) => [...new Set(Array.from(v))].sort((a, b) => a - b);

test('each stored projection has its stated values, density and variance (40 × 500 entries)', () => {
  const get = (projection: ProjectionKind, density?: number) => drawn({ projection, density }, 40, 500).feedbackMatrix!.dataSync();
  const dense = get('dense');
  assert.ok(dense.every((x) => x >= -1 && x < 1));
  const d = stats(dense);
  assert.ok(Math.abs(d.mean) < 0.02 && Math.abs(d.var - 1 / 3) < 0.01, JSON.stringify(d));

  const g = stats(get('gaussian'));
  assert.ok(Math.abs(g.mean) < 0.03 && Math.abs(g.var - 1) < 0.04, JSON.stringify(g));

  const ter = get('ternary');
  assert.deepEqual(distinct(ter), [-1, 0, 1]);
  const t = stats(ter);
  assert.ok(Math.abs(t.density - 1 / 3) < 0.015 && Math.abs(t.mean) < 0.015, `ternary: a third nonzero, balanced: ${JSON.stringify(t)}`);

  const bin = get('binary');
  assert.deepEqual(distinct(bin), [-1, 1]);
  assert.ok(Math.abs(stats(bin).mean) < 0.02);

  for (const density of [0.1, 0.02]) {
    const sp = get('sparse', density);
    const s = stats(sp);
    assert.ok(Math.abs(s.density - density) < 0.15 * density, `sparse ${density}: ${JSON.stringify(s)}`);
    assert.ok(sp.every((x) => x > -1 && x < 1));
    assert.ok(Math.abs(s.var - density / 3) < 0.15 * density / 3, `sparse ${density}: variance density/3: ${JSON.stringify(s)}`);
  }
});

/** The DFA gradient of the test net equals ((e · B_i) · g · s ⊙ tanh′) h_{i−1}ᵀ with B the Feedback's matrix. */
function checkDfaDefinition(opts: Omit<FeedbackOptions, 'method'>, gain: number) {
  const net = makeNet([5, 16, 8, 3], 7, 21);
  const fb = new Feedback({ method: 'dfa', seed: 3, ...opts });
  const { value, grads } = fb.grads(lossFn(fb, net), vars(net));
  const B = mat(fb.feedbackMatrix!);
  const { e } = reference(net);
  const s = gain / Math.sqrt(16);
  const ref = directGrads64(net, [16, 8].map((w) => scaled(mm(e, cols(B, w)), s)));
  net.Ws.forEach((W, l) => assertClose(grads.get(W)!, ref.dW[l]!, 2e-5, `${opts.projection} dW${l + 1}`));
  tf.dispose([value, ...grads.values()]);
  fb.dispose();
}

test('dfa delivers (e · B_i) · g · s under every projection, g bringing the entries to U(−1, 1)\'s variance', () => {
  const g3 = 1 / Math.sqrt(3);
  checkDfaDefinition({}, 1);
  checkDfaDefinition({ projection: 'gaussian' }, g3);
  checkDfaDefinition({ projection: 'ternary' }, 1);
  checkDfaDefinition({ projection: 'binary' }, g3);
  checkDfaDefinition({ projection: 'sparse', density: 0.25 }, 2);
  checkDfaDefinition({ projection: 'structured' }, g3);
});

/** The n × n Walsh–Hadamard matrix by Sylvester's recursion H_2k = [[H, H], [H, −H]]. */
function sylvester(n: number): M {
  let h: number[][] = [[1]];
  while (h.length < n) h = [...h.map((r) => [...r, ...r]), ...h.map((r) => [...r, ...r.map((v) => -v)])];
  return { r: n, c: n, d: Float64Array.from(h.flat()) };
}

const diagTimes = (signs: ArrayLike<number>, off: number, m: M): M => ({ r: m.r, c: m.c, d: m.d.map((v, i) => v * signs[off + Math.floor(i / m.c)]!) });

test('structured projection equals its dense equivalent (D₁ H D₂ H D₃ H / n)[:outDim, :width] with the explicit Hadamard matrix', () => {
  for (const [outDim, maxWidth] of [[3, 6], [10, 32], [5, 3]] as const) {
    const p = new StructuredProjection(outDim, maxWidth, 'widest', new Rng(outDim));
    const n = p.n;
    assert.equal(n, Math.max(8, 2 ** Math.ceil(Math.log2(Math.max(outDim, maxWidth)))));
    const H = sylvester(n);
    let T = diagTimes(p.signs, 2 * n, H); // D₃ H
    T = diagTimes(p.signs, n, mm(H, T)); // D₂ H D₃ H
    T = diagTimes(p.signs, 0, mm(H, T)); // D₁ H D₂ H D₃ H
    const Bref = cols({ r: outDim, c: n, d: T.d.slice(0, outDim * n).map((v) => v / n) }, maxWidth);
    assertClose(p.B, Bref.d, 1e-6, `[${outDim}, ${maxWidth}] dense equivalent`);
    const r = new Rng(1);
    const v = tf.tensor2d(r.normalArray(4 * outDim), [4, outDim]);
    for (const width of [maxWidth, Math.max(1, maxWidth - 2)]) {
      const got = p.project(v, width);
      assertClose(got, scaled(mm(mat(v), cols(Bref, width)), p.scale(width)).d, 1e-5, `project [${outDim}, ${width}]`);
      got.dispose();
    }
    v.dispose();
    p.dispose();
  }
});

test('structured projection: entries of mean 0 and variance 1, rows orthogonal (B Bᵀ = n I at full width); fwht is its own inverse up to n', () => {
  const p = new StructuredProjection(16, 1024, 'widest', new Rng(2));
  const s = stats(p.B.dataSync());
  assert.ok(Math.abs(s.mean) < 0.03 && Math.abs(s.var - 1) < 0.05, JSON.stringify(s));
  const gram = tf.tidy(() => tf.matMul(p.B, p.B, false, true));
  const eye = tf.tidy(() => tf.mul(tf.eye(16), 1024));
  assertClose(gram, eye, 1e-5, 'B Bᵀ');
  tf.dispose([gram, eye]);
  p.dispose();
  const x = new Rng(3).normalArray(64);
  const y = x.slice();
  fwht(y, 0, 64);
  fwht(y, 0, 64);
  assertClose(y.map((v) => v / 64), x, 1e-6, 'H H x / n = x');
});

test('error quantization: hand-computed rows at 1, 2, 4 and 8 bits; a zero row stays zero', () => {
  const v = tf.tensor2d([[0.3, -1, 0.6, 0], [0, 0, 0, 0], [-0.02, 0.012, 0.005, 0]]);
  const q = (b: 1 | 2 | 4 | 8) => Array.from(quantizeRows(v, b).dataSync());
  assertClose(q(1), [1, -1, 1, 0, 0, 0, 0, 0, -0.02, 0.02, 0.02, 0], 1e-6, '1 bit: sign times the row max');
  assertClose(q(2), [0, -1, 1, 0, 0, 0, 0, 0, -0.02, 0.02, 0, 0], 1e-6, '2 bits: {−m, 0, m}');
  assertClose(q(4), [2 / 7, -1, 4 / 7, 0, 0, 0, 0, 0, -0.02, 0.02 * 4 / 7, 0.02 * 2 / 7, 0], 1e-6, '4 bits: 7 levels per side');
  const r = new Rng(4);
  const big = tf.tensor2d(r.normalArray(8 * 100), [8, 100]);
  const q8 = quantizeRows(big, 8).dataSync(), b = big.dataSync();
  for (let i = 0; i < 8; i++) {
    const row = Array.from(b.subarray(i * 100, (i + 1) * 100));
    const m = Math.max(...row.map(Math.abs));
    for (let j = 0; j < 100; j++) assert.ok(Math.abs(q8[i * 100 + j]! - row[j]!) <= m / 254 + 1e-6, '8 bits: error at most m/(2·127)');
  }
  tf.dispose([v, big]);
});

test('dfa with errorBits 1 delivers (sign(e) · max|e_row|) · B · s: the error never enters beyond its sign and scale', () => {
  const net = makeNet([5, 16, 8, 3], 7, 22);
  const fb = new Feedback({ method: 'dfa', seed: 3, errorBits: 1 });
  const { value, grads } = fb.grads(lossFn(fb, net), vars(net));
  const B = mat(fb.feedbackMatrix!);
  const { e } = reference(net);
  const q = { ...e, d: new Float64Array(e.d.length) };
  for (let r = 0; r < e.r; r++) {
    const row = e.d.subarray(r * e.c, (r + 1) * e.c);
    const m = Math.max(...Array.from(row, Math.abs));
    row.forEach((x, c) => (q.d[r * e.c + c] = Math.sign(x) * m));
  }
  const ref = directGrads64(net, [16, 8].map((w) => scaled(mm(q, cols(B, w)), 1 / 4)));
  net.Ws.slice(0, 2).forEach((W, l) => assertClose(grads.get(W)!, ref.dW[l]!, 2e-5, `dW${l + 1}`));
  assertClose(grads.get(net.Ws[2]!)!, ref.dW[2]!, 2e-5, 'the output layer still learns from the exact e');
  tf.dispose([value, ...grads.values()]);
});

test('noise: delivered − clean signal is Gaussian with std σ·rms(clean), fresh every batch; noise 0 is the plain signal', () => {
  // A linear point with x = I: dW1 is the delivered signal itself.
  const width = 512, n = 64, C = 10;
  const r = new Rng(5);
  const x = tf.eye(n) as tf.Tensor2D;
  const W1 = tf.variable(tf.tensor2d(r.normalArray(n * width, 0, 0.1), [n, width]));
  const W2 = tf.variable(tf.tensor2d(r.normalArray(width * C, 0, 0.1), [width, C]));
  const y = tf.tensor1d(Int32Array.from({ length: n }, () => r.int(C)), 'int32');
  const signal = (fb: Feedback) => {
    const { value, grads } = fb.grads(() => {
      const out = fb.output(fb.dense(fb.point(fb.dense(x, W1)), W2));
      return tf.losses.softmaxCrossEntropy(tf.oneHot(y, C), out) as tf.Scalar;
    }, [W1, W2]);
    const s = Array.from(grads.get(W1)!.dataSync());
    tf.dispose([value, ...grads.values()]);
    return s;
  };
  const clean = signal(new Feedback({ method: 'dfa', seed: 1 }));
  assert.deepEqual(signal(new Feedback({ method: 'dfa', seed: 1, noise: 0 })), clean);
  const noisy = new Feedback({ method: 'dfa', seed: 1, noise: 0.5 });
  const a = signal(noisy), b = signal(noisy);
  const rms = Math.sqrt(clean.reduce((s, v) => s + v * v, 0) / clean.length);
  const d = stats(a.map((v, i) => v - clean[i]!));
  assert.ok(Math.abs(d.mean) < 0.02 * rms && Math.abs(Math.sqrt(d.var) / rms - 0.5) < 0.02, `noise ${JSON.stringify(d)} rms ${rms}`);
  assert.notDeepEqual(a, b, 'a new draw every batch');
  tf.dispose([x, W1, W2, y]);
});

test('clear errors: unknown projection, density off sparse or out of range, bad errorBits or noise, mismatched restore', () => {
  assert.throws(() => new Feedback({ method: 'dfa', projection: 'optical' }), /unknown projection 'optical'; expected one of dense, gaussian, ternary, binary, sparse, structured/);
  assert.throws(() => new Feedback({ method: 'dfa', projection: 'ternary', density: 0.2 }), /density applies to the sparse projection only/);
  assert.throws(() => new Feedback({ method: 'dfa', projection: 'sparse', density: 0 }), /density must be in \(0, 1\], got 0/);
  assert.throws(() => new Feedback({ method: 'dfa', errorBits: 3 as never }), /errorBits must be one of 1, 2, 4, 8, got 3/);
  assert.throws(() => new Feedback({ method: 'dfa', noise: -1 }), /noise must be a finite number >= 0/);
  const dense = drawn({}, 3, 8);
  const ternary = drawn({ projection: 'ternary' }, 3, 8);
  assert.throws(() => ternary.setState(dense.getState()), /saved feedback matrix is a 'dense' projection but this Feedback uses 'ternary'/);
  const st = drawn({ projection: 'structured' }, 3, 8);
  assert.throws(() => st.setFeedbackMatrix(dense.feedbackMatrix!), /structured projection stores no matrix/);
  const sp = drawn({ projection: 'sparse', density: 0.5 }, 3, 8);
  assert.throws(() => drawn({ projection: 'sparse', density: 0.2 }, 3, 8).setState(sp.getState()), /density 0.5 but this Feedback uses 0.2/);
});
