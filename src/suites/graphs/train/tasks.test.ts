/**
 * The wing's TrainTasks under the core Trainer: NodeTask's evaluation (loss and accuracy of each
 * split from one evaluation forward, dropped after a training step), and GaeTask's negatives
 * stream, which a checkpoint carries so that a resumed run ends identical to an uninterrupted one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { MemoryCheckpointStore } from '../../../train/checkpoint';
import { train, Trainer, type TrainConfig } from '../../../train/trainer';
import { trainTestSplitEdges } from '../data/link_split';
import { GraphAutoEncoder } from '../models/gae';
import { GCNNet } from '../models/node';
import { Graph } from '../nn/graph';
import { smallGraph } from '../nn/testing';
import { GaeTask } from './gae_task';
import { NodeTask } from './node_task';

test('NodeTask: each split\'s loss and accuracy from the evaluation forward; a training step drops it', () => {
  const g = smallGraph();
  const x = tf.tensor2d(new Rng(3).uniformArray(5 * 3, 0, 1), [5, 3]);
  const data = { x, graph: g, y: Int32Array.from([0, 1, 1, 0, 1]), numClasses: 2, train: Int32Array.from([0, 1, 3]), val: Int32Array.from([2]), test: Int32Array.from([4, 0]) };
  const task = new NodeTask(new GCNNet(x, g, 2, new Rng(4), { dropout: 0.5, weightDecay: 0 }), data);
  const trainer = new Trainer(task, { method: 'dfa', seed: 0, epochs: 5, optimizer: { name: 'adam', lr: 0.1 } });
  try {
    const logits = task.model.forward(null, null).arraySync() as number[][];
    for (const split of ['train', 'val', 'test'] as const) {
      const idx = data[split];
      const nll = idx.reduce((s, i) => s - (logits[i]![data.y[i]!]! - Math.log(Math.exp(logits[i]![0]!) + Math.exp(logits[i]![1]!))), 0) / idx.length;
      const acc = idx.reduce((s, i) => s + (logits[i]!.indexOf(Math.max(...logits[i]!)) === data.y[i] ? 1 : 0), 0) / idx.length;
      const r = task.evaluateSplit(split);
      assert.ok(Math.abs(r.loss - nll) < 1e-5, `${split} loss ${r.loss} vs ${nll}`);
      assert.equal(r.metric, acc, `${split} accuracy`);
    }
    const before = task.evaluate('val').loss;
    trainer.stepNext();
    assert.notEqual(task.evaluate('val').loss, before, 'the evaluation after a step sees the new weights');
    const n0 = tf.memory().numTensors; // after the first step: optimizer slots and B exist
    for (let i = 0; i < 3; i++) {
      trainer.stepNext();
      task.evaluate('test');
    }
    assert.equal(tf.memory().numTensors, n0, 'steps and evaluations leak no tensors');
  } finally {
    trainer.dispose();
    task.dispose();
    x.dispose();
  }
});

test('GaeTask: a run stopped after epoch 2 and resumed from its checkpoint ends identical (the negatives stream is task state)', async () => {
  const n = 40, s: number[] = [], d: number[] = [];
  for (let i = 0; i < n; i++) for (const j of [(i + 1) % n, (i + 3) % n]) s.push(i, j), d.push(j, i);
  const make = () => {
    const rng = new Rng(5);
    const split = trainTestSplitEdges(n, Int32Array.from(s), Int32Array.from(d), rng.fork('split'));
    const x = tf.tensor2d(new Rng(6).uniformArray(n * 4, 0, 1), [n, 4]);
    const model = new GraphAutoEncoder(x, new Graph(n, split.trainPos.src, split.trainPos.dst), rng.fork('init'), 4);
    return { x, rng, task: new GaeTask(model, split, rng.fork('negatives'), rng.fork('feedback')) };
  };
  const cfg = (rng: Rng): TrainConfig => ({ method: 'dfa', seed: 5, epochs: 4, optimizer: { name: 'adam', lr: 0.01 }, rng, evalEvery: 4 });
  const weights = (t: GaeTask) => Object.values(t.namedVariables()).map((v) => Array.from(v.dataSync()));
  const a = make();
  const full = await train(a.task, cfg(a.rng));
  const store = new MemoryCheckpointStore();
  const b1 = make();
  await train(b1.task, cfg(b1.rng), { store, stopAfterEpoch: 2 });
  const b2 = make();
  const resumed = await train(b2.task, cfg(b2.rng), { store });
  assert.ok(resumed.resumed);
  assert.deepEqual(weights(b2.task), weights(a.task));
  const last = (r: typeof full) => r.epochs[r.epochs.length - 1]!;
  assert.deepEqual([last(resumed).test, last(resumed).val], [last(full).test, last(full).val]);
  assert.ok(last(full).test!.extra!.ap! > 0 && full.epochs.filter((e) => e.val).length === 1, 'evaluated at the last epoch only, with AP');
  for (const r of [a, b1, b2]) {
    r.task.dispose();
    r.x.dispose();
  }
});
