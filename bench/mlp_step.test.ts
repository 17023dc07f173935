import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/engine/rng';
import { makeMlpStep } from './mlp_step';
import { createMlpStep } from './mlp_step_fixture';

// Same seed, same backend: identical numbers (weights after a few optimizer steps, bit for bit).
for (const method of ['bp', 'dfa', 'fa', 'shallow']) {
  test(`${method}: the benchmarked step is deterministic and learns`, () => {
    const run = (seed: number) => {
      const s = makeMlpStep(2, method, 'adam', seed, 16, 32);
      const w0 = s.weights();
      for (let i = 0; i < 3; i++) s.step();
      const w = s.weights();
      s.dispose();
      return { w0, w };
    };
    const a = run(1), b = run(1), c = run(2);
    assert.deepEqual(a.w, b.w);
    assert.notDeepEqual(a.w, c.w);
    const changed = a.w.map((w, i) => w.some((x, j) => x !== a.w0[i]![j]));
    const hiddenChanged = changed.slice(0, 4).some(Boolean);
    assert.equal(hiddenChanged, method !== 'shallow', `hidden layers ${hiddenChanged ? 'changed' : 'unchanged'} under ${method}`);
    assert.ok(changed[changed.length - 1], 'the output layer learns');
  });
}

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
