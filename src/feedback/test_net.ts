/**
 * Test fixture of the feedback tests (not part of the library API): a raw tanh MLP (no src/nn),
 * so the tests pin the feedback mechanics alone, and float64 host references of what each
 * family of methods delivers.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { softmaxCrossEntropy } from '../metrics/losses';
import type { Feedback } from './feedback';

export interface Net {
  Ws: tf.Variable[];
  bs: tf.Variable[];
  x: tf.Tensor2D;
  /** class indices */
  y: tf.Tensor1D;
  dims: number[];
}

export function makeNet(dims: number[], n: number, seed: number): Net {
  const r = new Rng(seed);
  const Ws: tf.Variable[] = [];
  const bs: tf.Variable[] = [];
  for (let i = 0; i + 1 < dims.length; i++) {
    Ws.push(tf.variable(tf.tensor2d(r.normalArray(dims[i]! * dims[i + 1]!, 0, 1 / Math.sqrt(dims[i]!)), [dims[i]!, dims[i + 1]!])));
    bs.push(tf.variable(tf.tensor1d(r.normalArray(dims[i + 1]!, 0, 0.1))));
  }
  const x = tf.tensor2d(r.normalArray(n * dims[0]!), [n, dims[0]!]);
  const C = dims[dims.length - 1]!;
  const y = tf.tensor1d(Int32Array.from({ length: n }, () => r.int(C)), 'int32');
  return { Ws, bs, x, y, dims };
}

/** The loss of `net` through `fb` (layers l1.., out; points h1..); `target` passes y for drtp. */
export function lossFn(fb: Feedback, net: Net, opts: { target?: boolean } = {}): () => tf.Scalar {
  return () => {
    let h: tf.Tensor = net.x;
    const L = net.Ws.length;
    for (let i = 0; i < L - 1; i++) h = fb.point(tf.tanh(fb.dense(h, net.Ws[i]!, net.bs[i]!, `l${i + 1}`)));
    const out = fb.output(fb.dense(h, net.Ws[L - 1]!, net.bs[L - 1]!, 'out'));
    if (opts.target) fb.target(net.y);
    return softmaxCrossEntropy(out, net.y);
  };
}

export const vars = (net: Net) => [...net.Ws, ...net.bs];

/** Float64 matrices for the closed-form references. */
export type M = { r: number; c: number; d: Float64Array };
export const mat = (t: tf.Tensor): M => ({ r: t.shape[0]!, c: t.shape[1] ?? 1, d: Float64Array.from(t.dataSync()) });

export function mm(a: M, b: M, ta = false): M {
  const r = ta ? a.c : a.r, k = ta ? a.r : a.c;
  const out = new Float64Array(r * b.c);
  for (let i = 0; i < r; i++)
    for (let p = 0; p < k; p++) {
      const av = ta ? a.d[p * a.c + i]! : a.d[i * a.c + p]!;
      for (let j = 0; j < b.c; j++) out[i * b.c + j] += av * b.d[p * b.c + j]!;
    }
  return { r, c: b.c, d: out };
}

/** Forward in float64: activations h_0..h_k and e = (softmax − onehot)/N. */
export function reference(net: Net): { hs: M[]; e: M } {
  const L = net.Ws.length;
  const hs: M[] = [mat(net.x)];
  for (let i = 0; i < L; i++) {
    const a = mm(hs[i]!, mat(net.Ws[i]!));
    const b = net.bs[i]!.dataSync();
    for (let r = 0; r < a.r; r++) for (let c = 0; c < a.c; c++) a.d[r * a.c + c] += b[c]!;
    if (i < L - 1) a.d.forEach((v, j) => (a.d[j] = Math.tanh(v)));
    hs.push(a);
  }
  const logits = hs.pop()!;
  const y = net.y.dataSync();
  const e = { r: logits.r, c: logits.c, d: new Float64Array(logits.d.length) };
  for (let r = 0; r < logits.r; r++) {
    let m = -Infinity, s = 0;
    for (let c = 0; c < logits.c; c++) m = Math.max(m, logits.d[r * logits.c + c]!);
    for (let c = 0; c < logits.c; c++) s += Math.exp(logits.d[r * logits.c + c]! - m);
    for (let c = 0; c < logits.c; c++) e.d[r * e.c + c] = (Math.exp(logits.d[r * logits.c + c]! - m) / s - (y[r] === c ? 1 : 0)) / logits.r;
  }
  return { hs, e };
}

export interface Grads64 {
  dW: Float64Array[];
  db: Float64Array[];
}

/** dW_l = h_{l−1}ᵀ δ_l, db_l = Σ_rows δ_l for the deltas δ_1..δ_L. */
function weightGrads(hs: M[], deltas: M[]): Grads64 {
  const dW = deltas.map((d, l) => mm(hs[l]!, d, true).d);
  const db = deltas.map((d) => {
    const out = new Float64Array(d.c);
    for (let r = 0; r < d.r; r++) for (let c = 0; c < d.c; c++) out[c] += d.d[r * d.c + c]!;
    return out;
  });
  return { dW, db };
}

/** δ = g ⊙ tanh′ at activation h (= 1 − h²). */
function throughTanh(g: M, h: M): M {
  return { r: g.r, c: g.c, d: g.d.map((v, j) => v * (1 - h.d[j]! ** 2)) };
}

/**
 * Layer-wise methods: layer l (1-based, [in, out]) passes δ_l · B_l to its input, B_l [out, in]
 * given per layer (Bs[l − 1]); B_l = W_lᵀ everywhere is BP.
 */
export function layerwiseGrads64(net: Net, Bs: M[]): Grads64 {
  const { hs, e } = reference(net);
  const L = net.Ws.length;
  const deltas: M[] = new Array(L);
  deltas[L - 1] = e;
  for (let l = L - 1; l >= 1; l--) deltas[l - 1] = throughTanh(mm(deltas[l]!, Bs[l]!), hs[l]!);
  return weightGrads(hs, deltas);
}

/** Direct methods: hidden point i (1-based) receives signals[i − 1] (rows × width) before tanh′; the output layer e. */
export function directGrads64(net: Net, signals: M[]): Grads64 {
  const { hs, e } = reference(net);
  const deltas = signals.map((s, i) => throughTanh(s, hs[i + 1]!));
  deltas.push(e);
  return weightGrads(hs, deltas);
}

/** Columns [0, width) of m. */
export function cols(m: M, width: number): M {
  const d = new Float64Array(m.r * width);
  for (let r = 0; r < m.r; r++) for (let c = 0; c < width; c++) d[r * width + c] = m.d[r * m.c + c]!;
  return { r: m.r, c: width, d };
}

export const scaled = (m: M, s: number): M => ({ r: m.r, c: m.c, d: m.d.map((v) => v * s) });
