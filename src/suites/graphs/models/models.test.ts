import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Feedback } from '../../../feedback';
import { Rng } from '../../../engine/rng';
import { dataPath, hasSharedData } from '../../../data/paths';
import { arr, assertGrad, C, gcnByHand, mm } from './testing';
import { archSetting } from '../paper';
import { nllLoss, NodeTask } from '../train/node_task';
import { loadGraphData } from '../data';
import { maskToIndex, nodeData } from '../data/node_data';
import { train } from '../../../train/trainer';

test('GCN under DFA: dW1 = Xᵀ Âᵀ ((e B / sqrt(16)) ⊙ relu′), conv2 gets its true gradient; shallow trains conv2 only', () => {
  const G = gcnByHand();
  const fb = new Feedback({ method: 'dfa', seed: 5 });
  const { grads } = fb.grads(() => nllLoss(G.model.forward(fb, new Rng(0)), G.y, G.train, C), G.model.params());
  const B = arr(fb.feedbackMatrix!);
  assert.deepEqual([B.length, B[0]!.length], [C, 16]);
  const dh = mm(G.e, B).map((r) => r.map((v) => v / 4));
  const [dW1, dW2] = G.expected(dh);
  assertGrad(grads.get(G.W1v)!, dW1, 'dW1');
  assertGrad(grads.get(G.W2v)!, dW2, 'dW2');
  const d1 = G.delta1(dh);
  const db1 = grads.get(G.b1v)!.dataSync();
  for (let j = 0; j < 16; j++) assert.ok(Math.abs(db1[j]! - d1.reduce((s, r) => s + r[j]!, 0)) < 1e-5);
  // shallow: only conv2 receives gradients
  const sh = new Feedback({ method: 'shallow', seed: 5 });
  const r2 = sh.grads(() => nllLoss(G.model.forward(sh, new Rng(0)), G.y, G.train, C), G.model.params());
  assert.deepEqual([...r2.grads.keys()], G.model.convs[1]!.params());
  G.dispose();
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
