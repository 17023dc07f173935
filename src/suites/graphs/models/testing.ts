/**
 * Test helper: a two-layer GCN (hidden 16, no dropout) on the small graph with dense features,
 * and its forward and gradients by hand in float64, to check what each training method delivers.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { smallGraph } from '../nn/testing';
import { GCNNet } from './node';

export type M = number[][];
export const mm = (a: M, b: M): M => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
export const tr = (a: M): M => a[0]!.map((_, j) => a.map((r) => r[j]!));
export const arr = (t: tf.Tensor) => t.arraySync() as M;

export const N = 5, F = 3, C = 2, H = 16;

export function gcnByHand() {
  const g = smallGraph();
  const x = tf.tensor2d(new Rng(3).uniformArray(N * F, 0, 1), [N, F]);
  const y = Int32Array.from([0, 1, 1, 0, 1]);
  const train = Int32Array.from([0, 1, 3]);
  const model = new GCNNet(x, g, C, new Rng(4), { dropout: 0, weightDecay: 0 });
  const data = { x, graph: g, y, numClasses: C, train, val: Int32Array.from([2]), test: Int32Array.from([4]) };
  const A: M = Array.from({ length: N }, () => new Array(N).fill(0));
  for (let e = 0; e < g.numEdges; e++) A[g.dst[e]!]![g.src[e]!] = 1;
  const deg = A.map((r) => r.reduce((a, b) => a + b, 1));
  const Ah = A.map((r, i) => r.map((v, j) => (v + (i === j ? 1 : 0)) / Math.sqrt(deg[i]! * deg[j]!)));
  const [W1v, b1v] = model.convs[0]!.params() as [tf.Variable, tf.Variable];
  const W2v = model.convs[1]!.params()[0]!;
  const X = arr(x), W1 = arr(W1v), W2 = arr(W2v);
  const pre = mm(mm(Ah, X), W1); // biases are 0 at init
  const h = pre.map((r) => r.map((v) => Math.max(v, 0)));
  const logits = mm(mm(Ah, h), W2);
  // e = dL/dlogits of the mean NLL over the training nodes
  const e: M = logits.map(() => new Array(C).fill(0));
  for (const i of train) {
    const m = Math.max(...logits[i]!), ex = logits[i]!.map((v) => Math.exp(v - m)), z = ex.reduce((a, b) => a + b, 0);
    e[i] = ex.map((v, c) => (v / z - (c === y[i] ? 1 : 0)) / train.length);
  }
  /** the hidden layer's delta when it receives `dh` (at h, before relu′) */
  const delta1 = (dh: M): M => dh.map((r, i) => r.map((v, j) => (pre[i]![j]! > 0 ? v : 0)));
  /** [dW1, dW2] when the hidden layer receives `dh` and the output error is e (conv2's true gradient) */
  const expected = (dh: M): [M, M] => [mm(tr(X), mm(tr(Ah), delta1(dh))), mm(tr(h), mm(tr(Ah), e))];
  const dispose = () => tf.dispose([x, ...model.params()]);
  return { x, y, train, data, model, W1v, b1v, W2v, Ah, W2, e, delta1, expected, dispose };
}

/** A gradient against its float64 value, within float32 rounding of the largest entry. */
export function assertGrad(got: tf.Tensor, want: M, what: string): void {
  const g = arr(got);
  const scale = Math.max(...want.flat().map(Math.abs));
  assert.ok(scale > 0, `${what}: the expected gradient is not all zeros`);
  for (let i = 0; i < want.length; i++) for (let j = 0; j < want[0]!.length; j++) {
    assert.ok(Math.abs(g[i]![j]! - want[i]![j]!) < 1e-4 * scale + 1e-7, `${what}[${i},${j}] ${g[i]![j]} vs ${want[i]![j]}`);
  }
}
