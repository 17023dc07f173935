/**
 * The feedback family on the graph models (issue 20): usf and drtp on a two-layer GCN give the
 * gradients their definitions say (by hand, float64), and every graph convolution's weight
 * products go through the Feedback, so the layer-wise methods treat them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { Feedback } from '../../../feedback';
import type { StepContext } from '../../../train/task';
import { Graph } from '../nn/graph';
import { smallGraph } from '../nn/testing';
import { nllLoss, NodeTask } from '../train/node_task';
import { GATNet, GCNNet, SplineNet } from './node';

type M = number[][];
const mm = (a: M, b: M): M => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const tr = (a: M): M => a[0]!.map((_, j) => a.map((r) => r[j]!));
const arr = (t: tf.Tensor) => t.arraySync() as M;

const N = 5, F = 3, C = 2, H = 16;
const y = Int32Array.from([0, 1, 1, 0, 1]);
const trainNodes = Int32Array.from([0, 1, 3]);
const ctx: StepContext = { rng: new Rng(0), epoch: 1, step: 1, sparse: () => { throw new Error('no sparse parameters here'); } };

/** A GCN on the small graph with dense features, no dropout, and its forward by hand. */
function gcn() {
  const g = smallGraph();
  const x = tf.tensor2d(new Rng(3).uniformArray(N * F, 0, 1), [N, F]);
  const model = new GCNNet(x, g, C, new Rng(4), { dropout: 0, weightDecay: 0 });
  const data = { x, graph: g, y, numClasses: C, train: trainNodes, val: Int32Array.from([2]), test: Int32Array.from([4]) };
  const A: M = Array.from({ length: N }, () => new Array(N).fill(0));
  for (let e = 0; e < g.numEdges; e++) A[g.dst[e]!]![g.src[e]!] = 1;
  const deg = A.map((r) => r.reduce((a, b) => a + b, 1));
  const Ah = A.map((r, i) => r.map((v, j) => (v + (i === j ? 1 : 0)) / Math.sqrt(deg[i]! * deg[j]!)));
  const X = arr(x), W1 = arr(model.convs[0]!.params()[0]!), W2 = arr(model.convs[1]!.params()[0]!);
  const pre = mm(mm(Ah, X), W1); // biases are 0 at init
  const h = pre.map((r) => r.map((v) => Math.max(v, 0)));
  const logits = mm(mm(Ah, h), W2);
  // e = dL/dlogits of the mean NLL over the training nodes
  const e: M = logits.map(() => new Array(C).fill(0));
  for (const i of trainNodes) {
    const m = Math.max(...logits[i]!), ex = logits[i]!.map((v) => Math.exp(v - m)), z = ex.reduce((a, b) => a + b, 0);
    e[i] = ex.map((v, c) => (v / z - (c === y[i] ? 1 : 0)) / trainNodes.length);
  }
  /** dW1 and dW2 when the hidden layer receives `dh` (before relu′) and the output error is e. */
  const expected = (dh: M): [M, M] => {
    const d1 = dh.map((r, i) => r.map((v, j) => (pre[i]![j]! > 0 ? v : 0)));
    return [mm(tr(X), mm(tr(Ah), d1)), mm(tr(h), mm(tr(Ah), e))];
  };
  return { x, model, task: new NodeTask(model, data), Ah, W2, e, expected };
}

function assertGrad(got: tf.Tensor, want: M, what: string): void {
  const g = arr(got);
  const scale = Math.max(...want.flat().map(Math.abs));
  assert.ok(scale > 0, `${what}: the expected gradient is not all zeros`);
  for (let i = 0; i < want.length; i++) for (let j = 0; j < want[0]!.length; j++) {
    assert.ok(Math.abs(g[i]![j]! - want[i]![j]!) < 1e-4 * scale + 1e-7, `${what}[${i},${j}] ${g[i]![j]} vs ${want[i]![j]}`);
  }
}

test('usf on a GCN: the hidden layer receives (Âᵀe)·B₂ with B₂ = sqrt(2/(16+C))·sign(W₂)ᵀ; conv2 gets its true gradient', () => {
  const { x, model, task, Ah, W2, e, expected } = gcn();
  const fb = new Feedback({ method: 'usf', seed: 5 });
  const { value, grads } = fb.grads(() => nllLoss(model.forward(fb, new Rng(0)), y, trainNodes, C), model.params());
  const s = Math.sqrt(2 / (H + C));
  const B2 = tr(W2).map((r) => r.map((v) => s * Math.sign(v))); // [C, H]
  const [dW1, dW2] = expected(mm(mm(tr(Ah), e), B2));
  assertGrad(grads.get(model.convs[0]!.params()[0]!)!, dW1, 'usf dW1');
  assertGrad(grads.get(model.convs[1]!.params()[0]!)!, dW2, 'usf dW2');
  // and it is not BP's: with Wᵀ instead of sign(W)ᵀ the hidden gradient differs
  const [bpW1] = expected(mm(mm(tr(Ah), e), tr(W2)));
  assert.ok(arr(grads.get(model.convs[0]!.params()[0]!)!).flat().some((v, k) => Math.abs(v - bpW1.flat()[k]!) > 1e-4));
  tf.dispose([value, ...grads.values()]);
  fb.dispose();
  task.dispose();
  x.dispose();
});

test('drtp on a GCN through NodeTask: the hidden layer receives (−onehot/n · B)/sqrt(16) at the training nodes only, whatever the error', async () => {
  const { x, model, task, expected } = gcn();
  const fb = new Feedback({ method: 'drtp', seed: 5 });
  const { value, grads } = fb.grads(() => task.loss(null, fb, ctx), model.params());
  const B = arr(fb.feedbackMatrix!);
  assert.deepEqual([B.length, B[0]!.length], [C, H]);
  const v: M = Array.from({ length: N }, () => new Array(C).fill(0));
  for (const i of trainNodes) v[i]![y[i]!] = -1 / trainNodes.length; // the other nodes' labels are never used
  const [dW1, dW2] = expected(mm(v, B).map((r) => r.map((a) => a / Math.sqrt(H))));
  assertGrad(grads.get(model.convs[0]!.params()[0]!)!, dW1, 'drtp dW1');
  assertGrad(grads.get(model.convs[1]!.params()[0]!)!, dW2, 'drtp dW2');
  tf.dispose([value, ...grads.values()]);
  // alignment needs the target too: measured on the training nodes (the others get no signal)
  const [a] = await fb.alignment(() => task.alignmentLoss(fb), model.params());
  assert.equal(a!.n, trainNodes.length);
  assert.ok(Number.isFinite(a!.mean) && Math.abs(a!.mean) <= 1);
  fb.dispose();
  task.dispose();
  x.dispose();
});

test('every graph convolution\'s weight products go through the Feedback: the layer-wise methods treat them by name', () => {
  const g = smallGraph();
  const x = tf.tensor2d(new Rng(3).uniformArray(N * F, 0, 1), [N, F]);
  const nets: [string, { params(): tf.Variable[]; forward(fb: Feedback | null, rng: Rng | null): tf.Tensor }, string[]][] = [
    ['GCN', new GCNNet(x, g, C, new Rng(1), { dropout: 0, weightDecay: 0 }), ['conv1', 'conv2']],
    ['Cheb', new GCNNet(x, g, C, new Rng(1), { cheb: true, dropout: 0, weightDecay: 0 }), ['conv1.k0', 'conv1.k1', 'conv2.k0', 'conv2.k1']],
    ['Spline', new SplineNet(x, new Graph(g.numNodes, g.src, g.dst), C, new Rng(1), { dropout: 0, weightDecay: 0 }), ['conv1.root', 'conv1.k0', 'conv1.k1', 'conv2.root', 'conv2.k0', 'conv2.k1']],
    ['GAT', new GATNet(x, g, C, new Rng(1), { dropout: 0, att2Dropout: 0, weightDecay: 0 }), ['conv1', 'conv2']],
  ];
  for (const [label, net, names] of nets) {
    const grad = (method: 'bp' | 'usf') => {
      const fb = new Feedback({ method, seed: 2 });
      const { value, grads } = fb.grads(() => nllLoss(net.forward(fb, null), y, trainNodes, C), net.params());
      const treated = names.filter((n) => {
        const B = fb.layerFeedbackOf(n);
        B?.dispose();
        return B !== null;
      });
      const first = Array.from(grads.get(net.params()[0]!)!.dataSync());
      tf.dispose([value, ...grads.values()]);
      fb.dispose();
      return { treated, first };
    };
    const usf = grad('usf'), bp = grad('bp');
    assert.deepEqual(usf.treated, names, `${label}: the layers usf treats`);
    assert.notDeepEqual(usf.first, bp.first, `${label}: usf changes the first layer's gradient`);
    tf.dispose(net.params());
  }
  x.dispose();
});
