/**
 * Lazy Adam on embedding rows: a hand-computed first step, a restored state that continues
 * identically, a non-finite gradient named; and as a Trainer sparse parameter, global-norm
 * clipping of dense and sparse gradients together (a row used twice counts once, as its sum).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { SparseEmbedding } from '../nn/sparse_embedding';
import type { TrainTask } from '../train/task';
import { Trainer } from '../train/trainer';
import { SparseAdam } from './sparse_adam';

test('first lazy Adam step by hand: touched rows move by lr·sign(g), others do not', () => {
  const E = new SparseEmbedding(6, 2, 'zeros', new Rng(0));
  const opt = new SparseAdam();
  const l = E.lookup(Int32Array.from([4, 1, 4]), true);
  // row 4 gets (0.5 + 0.25, −1 + 0), row 1 gets (2, 0): Adam's first step is lr · g / (|g| + eps)
  opt.step(E, l, Float32Array.from([0.5, -1, 2, 0, 0.25, 0]), 0.1);
  l.dispose();
  const expect = [0, 0, -0.1, 0, 0, 0, 0, 0, -0.1, 0.1, 0, 0];
  E.table.forEach((v, i) => assert.ok(Math.abs(v - expect[i]!) < 1e-6, `table[${i}] = ${v}, expected ${expect[i]}`));
});

test('state: a restored optimizer continues identically; a non-finite gradient names its row', () => {
  const run = (restoreAfter: number | null) => {
    const E = new SparseEmbedding(20, 3, 'xavier', new Rng(1));
    let opt = new SparseAdam({ weightDecay: 1e-2 });
    const r = new Rng(2);
    for (let s = 0; s < 4; s++) {
      if (s === restoreAfter) {
        const saved = opt.getState(new Map([[E, 'emb']]));
        opt = new SparseAdam({ weightDecay: 1e-2 });
        opt.setState(structuredClone(saved), new Map([[E, 'emb']]));
      }
      const l = E.lookup(Int32Array.from({ length: 8 }, () => r.int(20)), true);
      opt.step(E, l, r.normalArray(8 * 3), 0.05);
      l.dispose();
    }
    return E.table;
  };
  assert.deepEqual(run(2), run(null));
  const E = new SparseEmbedding(10, 3, 'xavier', new Rng(0));
  const l = E.lookup(Int32Array.from([7, 2]), true);
  assert.throws(() => new SparseAdam().step(E, l, Float32Array.from([0, 0, 0, NaN, 0, 0]), 0.1), /non-finite gradient for row 2/);
  assert.throws(() => new SparseAdam().setState({ kind: 'sparse-adam', tables: { other: { m: new Float32Array(30), v: new Float32Array(30), t: 1 } } }, new Map([[E, 'emb']])), /no table named 'other'/);
  l.dispose();
});

test('Trainer clipping: dense and sparse gradients share one global norm, a row used twice counting once', () => {
  // loss = W·(3, 0) + Σ over the looked-up rows of (row · c_i): W's gradient (3, 0); row 3 gets
  // (1, 0) + (1, 2) = (2, 2), row 1 gets (0, 1): squared norm 9 + 8 + 1 = 18
  const E = new SparseEmbedding(5, 2, 'zeros', new Rng(0));
  const W = tf.variable(tf.zeros([2]));
  const sparse = new SparseAdam();
  const task: TrainTask<number> = {
    name: 'clip', metric: { name: 'loss', higherIsBetter: false },
    namedVariables: () => ({ W }),
    batches: () => [0],
    loss: (_b, _fb, ctx) => tf.tidy(() => {
      const rows = ctx.sparse(sparse.rows(E, E.lookup(Int32Array.from([3, 3, 1]), true)));
      return tf.add(tf.sum(tf.mul(W, tf.tensor1d([3, 0]))), tf.sum(tf.mul(rows, tf.tensor2d([1, 0, 1, 2, 0, 1], [3, 2])))) as tf.Scalar;
    }),
    evaluate: () => ({ metric: 0, loss: 0 }),
    dispose: () => W.dispose(),
  };
  const trainer = new Trainer(task, { method: 'bp', seed: 0, epochs: 1, clipNorm: 1, optimizer: { name: 'sgd', lr: 1 } });
  trainer.trainOn(0);
  const s = 1 / (Math.sqrt(18) + 1e-6);
  const w = W.dataSync();
  assert.ok(Math.abs(w[0]! + 3 * s) < 1e-6 && w[1] === 0, `dense step −g·scale: ${w}`);
  // Adam's first moment after one step is (1 − β1)·g: the clipped row gradients
  const m = sparse.getState(new Map([[E, 'E']])).tables.E!.m;
  const expectM = [0, 0, 0, 0.1 * s, 0, 0, 0.2 * s, 0.2 * s, 0, 0];
  m.forEach((v, i) => assert.ok(Math.abs(v - expectM[i]!) < 1e-6, `m[${i}] = ${v}, expected ${expectM[i]}`));
  trainer.dispose();
  task.dispose();
});
