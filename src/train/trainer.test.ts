import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Feedback, type Method } from '../feedback';
import { TASKS } from '../tasks';
import { MemoryCheckpointStore } from './checkpoint';
import type { TrainTask } from './task';
import { Trainer, train, TrainingDivergedError, type TrainConfig } from './trainer';

const small = (seed = 0, dropout = 0) => TASKS.rings!.create({ seed, n: 400, hidden: [16, 16], batchSize: 40, dropout });
const weights = (t: TrainTask) => Object.fromEntries(Object.entries(t.namedVariables()).map(([n, v]) => [n, v.dataSync().slice()]));

test('a run killed after epoch 2 and resumed from its checkpoint ends identical to an uninterrupted run', async () => {
  const cfgs: TrainConfig[] = [
    { method: 'dfa', seed: 3, epochs: 4, optimizer: { name: 'adam', lr: 1e-2 }, schedule: { kind: 'plateau', patience: 0, factor: 0.5 }, clipNorm: 1 },
    { method: 'fa', seed: 4, epochs: 4, optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 1e-3 }, schedule: { kind: 'warmup-inv-sqrt', warmup: 5 } },
  ];
  for (const cfg of cfgs) {
    const a = small(cfg.seed, 0.2);
    const full = await train(a, cfg, { store: new MemoryCheckpointStore() });
    const store = new MemoryCheckpointStore();
    const b1 = small(cfg.seed, 0.2);
    const part = await train(b1, cfg, { store, stopAfterEpoch: 2 });
    assert.equal(part.epochs.length, 2);
    b1.dispose();
    const b2 = small(cfg.seed, 0.2); // a fresh process: same seed, weights then overwritten from the checkpoint
    const resumed = await train(b2, cfg, { store });
    assert.ok(resumed.resumed);
    assert.deepEqual(weights(b2), weights(a), cfg.method);
    const strip = (r: typeof full) => r.epochs.map(({ msPerStep: _m, seconds: _s, evalMs: _e, ...rest }) => rest);
    assert.deepEqual(strip(resumed), strip(full));
    a.dispose();
    b2.dispose();
  }
});

test('a NaN loss stops at its step with a clear error, before updating, keeping the last good checkpoint', async () => {
  const task = small(1);
  let steps = 0;
  const loss = task.loss.bind(task);
  task.loss = (b, fb, ctx) => (++steps === 14 ? tf.mul(loss(b, fb, ctx), NaN) : loss(b, fb, ctx)) as tf.Scalar;
  const store = new MemoryCheckpointStore();
  let before: Record<string, Float32Array | Int32Array | Uint8Array> = {};
  const err = await train(task, { method: 'dfa', seed: 1, epochs: 3, optimizer: { name: 'adam', lr: 1e-2 } }, {
    store,
    onStep: (s) => {
      if (s.step === 13) before = weights(task);
    },
  }).catch((e: unknown) => e);
  assert.ok(err instanceof TrainingDivergedError);
  assert.match(err.message, /non-finite loss \(NaN\) at step 14 \(epoch 3, batch 2\).*last good checkpoint \(epoch 2\)/);
  assert.equal(store.load()!.epoch, 2); // 240 training examples / 40 = 6 steps per epoch
  assert.deepEqual(weights(task), before);
  task.dispose();
});

test('shallow leaves hidden weights bit-identical (even with weight decay) and trains the top layer', async () => {
  const task = small(2);
  const w0 = weights(task);
  await train(task, { method: 'shallow', seed: 2, epochs: 2, alignEvery: 0, optimizer: { name: 'adamw', lr: 1e-2, weightDecay: 0.1 } });
  const w1 = weights(task);
  for (const n of ['fc1.W', 'fc1.b', 'fc2.W', 'fc2.b']) assert.deepEqual(w1[n], w0[n], n);
  assert.notDeepEqual(w1['out.W'], w0['out.W']);
  task.dispose();
});

test('early stopping on the validation metric; the test metric is reported at the best validation epoch', async () => {
  const task = small(3);
  const r = await train(task, { method: 'bp', seed: 3, epochs: 10, patience: 2, optimizer: { name: 'sgd', lr: 0 } });
  assert.ok(r.stoppedEarly);
  assert.equal(r.epochs.length, 3);
  assert.equal(r.bestEpoch, 1);
  assert.equal(r.testAtBest, r.epochs[0]!.test!.metric);
  task.dispose();
});

test('on a task that needs hidden layers, DFA beats shallow by a wide margin and its hidden layers align with BP', async () => {
  const res: Record<string, { acc: number; align: number[] }> = {};
  for (const method of ['dfa', 'shallow'] as const) {
    const task = TASKS.rings!.create({ seed: 0, n: 1500, hidden: [48, 48] });
    const r = await train(task, { method, seed: 0, epochs: 8, alignEvery: 8, optimizer: { name: 'adam', lr: 1e-2 } });
    res[method] = { acc: r.testAtBest, align: (r.epochs.at(-1)!.alignment ?? []).map((a) => a.mean) };
    task.dispose();
  }
  console.log(`rings: dfa ${res.dfa!.acc.toFixed(1)} % (alignment ${res.dfa!.align.map((a) => a.toFixed(2))}), shallow ${res.shallow!.acc.toFixed(1)} %`);
  assert.ok(res.shallow!.acc < 45, `shallow ${res.shallow!.acc}`); // 3 balanced classes: chance is 33 %
  assert.ok(res.dfa!.acc > res.shallow!.acc + 25, `dfa ${res.dfa!.acc} vs shallow ${res.shallow!.acc}`);
  assert.equal(res.dfa!.align.length, 2);
  for (const a of res.dfa!.align) assert.ok(a > 0.05, `alignment ${res.dfa!.align}`);
});

test('TrainConfig.feedback: the signal options reach the Feedback the task creates and the run settings; a task that drops them is named', async () => {
  const task = small(4);
  const cfg: TrainConfig = { method: 'dfa', seed: 4, epochs: 1, alignEvery: 0, optimizer: { name: 'adam', lr: 1e-2 }, feedback: { projection: 'sparse', density: 0.25, errorBits: 4, noise: 0.1 } };
  const t = new Trainer(task, cfg);
  assert.deepEqual(t.fb.describe(), { projection: 'sparse', density: 0.25, errorBits: 4, noise: 0.1 });
  assert.deepEqual(t.settings().feedback, cfg.feedback);
  t.dispose();
  // a task whose createFeedback ignores them (as one written before the options existed)
  const deaf = Object.assign(Object.create(task) as TrainTask, { createFeedback: (method: Method) => new Feedback({ method, seed: 0 }) });
  assert.throws(() => new Trainer(deaf, cfg), /task 'rings' creates its Feedback without the run's feedback options: it has projection dense \(asked sparse\), density - \(asked 0\.25\), errorBits - \(asked 4\), noise 0 \(asked 0\.1\)/);
  // the layer-wise and exact methods refuse them, saying which methods they shape
  assert.throws(() => new Trainer(task, { ...cfg, method: 'usf' }), /projection 'sparse', errorBits, noise shape the direct methods' signal \(dfa, drtp\), not 'usf'/);
  // without options nothing is recorded (earlier runs' settings are unchanged)
  const { feedback: _f, ...noOptions } = cfg;
  const plain = new Trainer(task, noOptions);
  assert.equal('feedback' in plain.settings(), false);
  plain.dispose();
  task.dispose();
});
