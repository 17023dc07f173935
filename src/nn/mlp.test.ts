import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { Feedback } from '../feedback';
import { dropout } from './dropout';
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
