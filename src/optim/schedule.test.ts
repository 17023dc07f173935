import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm } from './clip';
import { ReduceOnPlateau, scheduledLr } from './schedule';

test('warm-up / inverse-sqrt: linear to the peak at `warmup`, then 1/sqrt(step); the dModel form is the paper\'s', () => {
  const c = { kind: 'warmup-inv-sqrt', warmup: 100 } as const;
  assert.equal(scheduledLr(c, 50, 1e-3), 5e-4);
  assert.equal(scheduledLr(c, 100, 1e-3), 1e-3);
  assert.ok(Math.abs(scheduledLr(c, 400, 1e-3) - 5e-4) < 1e-12);
  // lrate = d^-0.5 · min(step^-0.5, step · warmup^-1.5), "Attention is all you need" eq. 3, d = 512, warmup 4000
  const p = { kind: 'warmup-inv-sqrt', warmup: 4000, dModel: 512 } as const;
  assert.ok(Math.abs(scheduledLr(p, 4000, 1) - 512 ** -0.5 * 4000 ** -0.5) < 1e-12);
  assert.ok(Math.abs(scheduledLr(p, 1000, 1) - 512 ** -0.5 * 1000 * 4000 ** -1.5) < 1e-12);
  assert.equal(scheduledLr({ kind: 'constant' }, 7, 0.3), 0.3);
});

test('reduce-on-plateau halves the lr after `patience` epochs without improvement', () => {
  const p = new ReduceOnPlateau({ factor: 0.5, patience: 2 }, true);
  const scales = [50, 60, 60, 59, 58, 61, 61, 61, 61].map((m) => p.observe(m, 1));
  assert.deepEqual(scales, [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
});

test('clipping by global norm scales every gradient by maxNorm/||g||', () => {
  const a = tf.variable(tf.tensor1d([0])), b = tf.variable(tf.tensor1d([0]));
  const g = new Map([[a, tf.tensor1d([3])], [b, tf.tensor1d([4])]]);
  assert.ok(Math.abs(clipByGlobalNorm(g, 1) - 5) < 1e-6);
  assert.ok(Math.abs(g.get(a)!.dataSync()[0]! - 0.6) < 1e-6 && Math.abs(g.get(b)!.dataSync()[0]! - 0.8) < 1e-6);
  const small = new Map([[a, tf.tensor1d([0.3])]]);
  clipByGlobalNorm(small, 1);
  assert.equal(small.get(a)!.dataSync()[0], Math.fround(0.3));
});
