import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Feedback } from '../../../feedback';
import { Rng } from '../../../engine/rng';
import { smallGraph } from '../nn/testing';
import { dataPath, hasSharedData } from '../../../data/paths';
import { GCNNet } from './node';
import { archSetting } from '../paper';
import { nllLoss, NodeTask } from '../train/node_task';
import { loadGraphData } from '../data';
import { maskToIndex, nodeData } from '../data/node_data';
import { train } from '../../../train/trainer';

type M = number[][];
const mm = (a: M, b: M): M => a.map((r) => b[0]!.map((_, j) => r.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
const tr = (a: M): M => a[0]!.map((_, j) => a.map((r) => r[j]!));
const arr = (t: tf.Tensor) => t.arraySync() as M;

test('GCN under DFA: dW1 = Xᵀ Âᵀ ((e B / sqrt(16)) ⊙ relu′), conv2 gets its true gradient; shallow trains conv2 only', () => {
  const g = smallGraph();
  const N = 5, F = 3, C = 2;
  const rngX = new Rng(3);
  const x = tf.tensor2d(rngX.uniformArray(N * F, 0, 1), [N, F]);
  const y = Int32Array.from([0, 1, 1, 0, 1]);
  const train = Int32Array.from([0, 1, 3]);
  const model = new GCNNet(x, g, C, new Rng(4), { dropout: 0, weightDecay: 0 });
  const fb = new Feedback({ method: 'dfa', seed: 5 });
  const { grads } = fb.grads(() => nllLoss(model.forward(fb, new Rng(0)), y, train, C), model.params());
  // by hand
  const A: M = Array.from({ length: N }, () => new Array(N).fill(0));
  for (let e = 0; e < g.numEdges; e++) A[g.dst[e]!]![g.src[e]!] = 1;
  const deg = A.map((r) => r.reduce((a, b) => a + b, 1));
  const Ah = A.map((r, i) => r.map((v, j) => (v + (i === j ? 1 : 0)) / Math.sqrt(deg[i]! * deg[j]!)));
  const X = arr(x), W1 = arr(model.convs[0]!.params()[0]!), W2 = arr(model.convs[1]!.params()[0]!);
  const pre = mm(mm(Ah, X), W1); // bias 0 at init
  const h = pre.map((r) => r.map((v) => Math.max(v, 0)));
  const logits = mm(mm(Ah, h), W2);
  const e: M = logits.map(() => new Array(C).fill(0));
  for (const i of train) {
    const m = Math.max(...logits[i]!), ex = logits[i]!.map((v) => Math.exp(v - m)), z = ex.reduce((a, b) => a + b, 0);
    e[i] = ex.map((v, c) => (v / z - (c === y[i] ? 1 : 0)) / train.length);
  }
  const B = arr(fb.feedbackMatrix!);
  assert.deepEqual([B.length, B[0]!.length], [C, 16]);
  const d1 = mm(e, B).map((r, i) => r.map((v, j) => (pre[i]![j]! > 0 ? v / 4 : 0)));
  const want: [tf.Variable, M][] = [
    [model.convs[0]!.params()[0]!, mm(tr(X), mm(tr(Ah), d1))],
    [model.convs[1]!.params()[0]!, mm(tr(h), mm(tr(Ah), e))],
  ];
  for (const [v, w] of want) {
    const got = arr(grads.get(v)!);
    const scale = Math.max(...w.flat().map(Math.abs));
    for (let i = 0; i < w.length; i++) for (let j = 0; j < w[0]!.length; j++) assert.ok(Math.abs(got[i]![j]! - w[i]![j]!) < 1e-4 * scale + 1e-7, `${v.shape}[${i},${j}] ${got[i]![j]} vs ${w[i]![j]}`);
  }
  const db1 = grads.get(model.convs[0]!.params()[1]!)!.dataSync();
  for (let j = 0; j < 16; j++) assert.ok(Math.abs(db1[j]! - d1.reduce((s, r) => s + r[j]!, 0)) < 1e-5);
  // shallow: only conv2 receives gradients
  const sh = new Feedback({ method: 'shallow', seed: 5 });
  const r2 = sh.grads(() => nllLoss(model.forward(sh, new Rng(0)), y, train, C), model.params());
  assert.deepEqual([...r2.grads.keys()], model.convs[1]!.params());
  tf.dispose([x, ...model.params()]);
  fb.dispose();
});

test('DFA trains a GCN on Cora (100 epochs, public split) well above chance', { skip: !hasSharedData('cora') && 'no shared data' }, async () => {
  const d = await loadGraphData('cora', dataPath('cora'));
  const s = archSetting('gcn', 'dfa');
  const data = nodeData(d, s, 0);
  assert.deepEqual([data.train.length, data.val.length, data.test.length], [140, 500, 1000]);
  assert.deepEqual(data.test, maskToIndex(d.testMask));
  const rng = new Rng(0);
  const task = new NodeTask(s.build(data.x, data.graph, data.numClasses, rng.fork('init')), data);
  try {
    const r = await train(task, { method: 'dfa', seed: 0, epochs: 100, optimizer: { name: 'adam', lr: s.lr }, rng: rng.fork('train') });
    assert.ok(r.testAtBest > 0.72, `DFA test accuracy ${r.testAtBest}`); // paper, 250 epochs: 79.9 %
  } finally {
    task.dispose();
  }
});
