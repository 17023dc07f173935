import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm } from './clip';

test('clipping large computed gradients: the global norm, every one scaled, shared data left alone', () => {
  const n = 5000;
  const vs = [0, 1, 2].map(() => tf.variable(tf.zeros([n])));
  const a = tf.mul(tf.ones([n]), 3); // computed: the native backend may scale it in place
  const b = tf.mul(tf.ones([n]), 4);
  const shared = tf.mul(tf.ones([n]), 1);
  const other = tf.clone(shared); // same data as `shared`: must not change
  const g = new Map([[vs[0]!, a], [vs[1]!, b], [vs[2]!, shared]]);
  const norm = clipByGlobalNorm(g, 1);
  assert.ok(Math.abs(norm - Math.sqrt(26 * n)) < 1e-3 * norm, `norm ${norm}`);
  const s = 1 / (Math.sqrt(26 * n) + 1e-6);
  for (const [v, want] of [[vs[0]!, 3 * s], [vs[1]!, 4 * s], [vs[2]!, s]] as const) {
    const got = g.get(v)!.dataSync();
    assert.ok(Math.abs(got[0]! - want) < 1e-6 && Math.abs(got[n - 1]! - want) < 1e-6, `${got[0]} vs ${want}`);
  }
  assert.equal(other.dataSync()[7], 1);
  tf.dispose([...g.values(), other, ...vs]);
});

test('clipping with gradients outside the map: their squared norm counts, only the map is scaled', () => {
  const v = tf.variable(tf.zeros([1]));
  const g = new Map([[v, tf.tensor1d([3])]]);
  const norm = clipByGlobalNorm(g, 1, 16); // ||(3, 4)|| = 5
  assert.ok(Math.abs(norm - 5) < 1e-6, `norm ${norm}`);
  assert.ok(Math.abs(g.get(v)!.dataSync()[0]! - 3 / (5 + 1e-6)) < 1e-6);
  assert.equal(clipByGlobalNorm(new Map(), 1, 9), 3, 'only outside gradients: their norm');
  assert.equal(clipByGlobalNorm(new Map(), 1), 0);
  tf.dispose([...g.values(), v]);
});
