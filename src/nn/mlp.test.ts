import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { Feedback } from '../feedback';
import { dropout } from './dropout';
import { createMlpStep } from '../../bench/mlp_step_fixture';
import { MLP } from './mlp';

test('MLP of any depth: named variables, a feedback point per hidden layer, seeded init', () => {
  const m = new MLP({ inputDim: 5, hidden: [7, 6, 4], outputDim: 3, activation: 'relu', seed: 1 });
  assert.deepEqual(Object.keys(m.namedVariables()), ['fc1.W', 'fc1.b', 'fc2.W', 'fc2.b', 'fc3.W', 'fc3.b', 'out.W', 'out.b']);
  const fb = new Feedback({ method: 'dfa' });
  const x = tf.randomNormal([2, 5], 0, 1, 'float32', 1); // fixed-seed tf op: test data only
  const { value, grads } = fb.grads(() => tf.sum(m.forward(x, fb)) as tf.Scalar, m.variables);
  assert.deepEqual(fb.pointNames, ['h1', 'h2', 'h3']);
  assert.equal(grads.size, 8);
  tf.dispose([value, ...grads.values()]);
  const same = new MLP({ inputDim: 5, hidden: [7, 6, 4], outputDim: 3, seed: 1 });
  assert.deepEqual(same.hidden[1]!.W.dataSync(), m.hidden[1]!.W.dataSync());
  assert.notDeepEqual(new MLP({ inputDim: 5, hidden: [7, 6, 4], outputDim: 3, seed: 2 }).hidden[1]!.W.dataSync(), m.hidden[1]!.W.dataSync());
  assert.throws(() => m.forward(tf.zeros([2, 4])), /MLP: input has shape \[2,4\], expected last dim 5/);
  assert.throws(() => new MLP({ inputDim: 5, hidden: [7], outputDim: 3, activation: 'swish' as never }), /unknown activation 'swish'/);
});

test('dropout: mask from the Rng (same state, same mask), inverted scaling, identity at rate 0', () => {
  const x = tf.ones([1000]);
  const a = dropout(x, 0.25, new Rng(5)).dataSync();
  const b = dropout(x, 0.25, new Rng(5)).dataSync();
  assert.deepEqual(a, b);
  const kept = a.filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6));
  assert.ok(Math.abs(kept.length / 1000 - 0.75) < 0.05);
  assert.equal(dropout(x, 0, new Rng(5)), x);
  assert.throws(() => dropout(x, 1, new Rng(5)), /dropout rate must be in \[0, 1\)/);
});

test('the benchmark step (createMlpStep) trains with every method; shallow keeps hidden layers fixed', () => {
  const r = new Rng(0);
  const x = tf.tensor2d(r.normalArray(32 * 20), [32, 20]);
  const xv = x.dataSync(); // learnable labels: the argmax of the first 4 inputs
  const y = tf.tensor1d(Int32Array.from({ length: 32 }, (_, i) => [0, 1, 2, 3].reduce((b, j) => (xv[i * 20 + j]! > xv[i * 20 + b]! ? j : b), 0)), 'int32');
  for (const optimizer of ['sgd', 'adam'] as const) {
    const last: Record<string, number> = {};
    for (const method of ['bp', 'dfa', 'fa', 'shallow'] as const) {
      const s = createMlpStep({ k: 2, width: 32, inputDim: 20, outputDim: 4, method, optimizer });
      const w1 = s.model.hidden[0]!.W.dataSync().slice();
      const first = s.stepWithLoss(x, y);
      for (let i = 0; i < 30; i++) s.step(x, y);
      last[method] = s.stepWithLoss(x, y);
      assert.ok(last[method]! < first * (method === 'shallow' ? 0.99 : 0.95), `${method}/${optimizer}: loss ${first} -> ${last[method]}`);
      if (method === 'shallow') assert.deepEqual(s.model.hidden[0]!.W.dataSync(), w1);
      s.dispose();
    }
    assert.ok(last.dfa! < last.shallow! && last.bp! < last.shallow!, `${optimizer}: ${JSON.stringify(last)}`);
  }
});
