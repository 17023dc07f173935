import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Adam, AdamW, makeOptimizer, SGD, type Optimizer } from './index';

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)), `[${i}] ${a[i]} vs ${b[i]}`);
};
const step = (opt: Optimizer, v: tf.Variable, g: number[]) => opt.apply(new Map([[v, tf.tensor1d(g)]]));

test('sgd with momentum and L2 weight decay: hand-computed two steps', () => {
  const v = tf.variable(tf.tensor1d([1, -2]));
  const opt = new SGD({ lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
  step(opt, v, [0.5, 0.5]);
  close(v.dataSync(), [0.949, -2.048]);
  step(opt, v, [1, 0]);
  close(v.dataSync(), [0.802151, -2.089152]);
});

function adamRef(w: number, gs: number[], lr: number, wd: number, decoupled: boolean, b1 = 0.9, b2 = 0.999, eps = 1e-8): number {
  let m = 0, s = 0;
  gs.forEach((g0, i) => {
    const t = i + 1;
    if (decoupled) w *= 1 - lr * wd;
    const g = decoupled ? g0 : g0 + wd * w;
    m = b1 * m + (1 - b1) * g;
    s = b2 * s + (1 - b2) * g * g;
    w -= (lr * (m / (1 - b1 ** t))) / (Math.sqrt(s / (1 - b2 ** t)) + eps);
  });
  return w;
}

test('adam (L2 decay) and adamw (decoupled decay) follow the formulas', () => {
  for (const [Ctor, decoupled] of [[Adam, false], [AdamW, true]] as const) {
    const v = tf.variable(tf.tensor1d([1, -0.5]));
    const opt = new Ctor({ lr: 0.1, weightDecay: 0.2 });
    const gs = [[0.5, -1], [1, 0.25], [-0.3, 0.1]];
    for (const g of gs) step(opt, v, g);
    close(v.dataSync(), [adamRef(1, gs.map((g) => g[0]!), 0.1, 0.2, decoupled), adamRef(-0.5, gs.map((g) => g[1]!), 0.1, 0.2, decoupled)], 1e-5);
  }
  assert.throws(() => new Adam({ lr: 1e-3, beta2: 1 }), /beta2 must be in \[0, 1\)/);
  assert.throws(() => makeOptimizer({ name: 'rmsprop' as never, lr: 1 }), /unknown optimizer 'rmsprop'/);
});

test('parameter groups: weight decay and lr scale per group; variables without gradients are untouched', () => {
  const a = tf.variable(tf.tensor1d([1]));
  const b = tf.variable(tf.tensor1d([1]));
  const c = tf.variable(tf.tensor1d([1]));
  const opt = new SGD({ lr: 0.1, weightDecay: 0.5, groups: [{ vars: [b], weightDecay: 0, lrScale: 2 }] });
  opt.apply(new Map([[a, tf.tensor1d([1])], [b, tf.tensor1d([1])]]));
  close(a.dataSync(), [1 - 0.1 * (1 + 0.5)]);
  close(b.dataSync(), [1 - 0.2 * 1]);
  assert.deepEqual([...c.dataSync()], [1]);
});

test('optimizer state round-trips: a restored optimizer continues identically', () => {
  for (const name of ['sgd', 'adam', 'adamw'] as const) {
    const v1 = tf.variable(tf.tensor1d([1, 2, 3]));
    const o1 = makeOptimizer({ name, lr: 0.05, momentum: 0.9, weightDecay: 0.01 });
    step(o1, v1, [0.1, -0.2, 0.3]);
    step(o1, v1, [0.3, 0.1, -0.1]);
    const st = o1.getState(new Map([[v1, 'w']]));
    const v2 = tf.variable(v1.clone());
    const o2 = makeOptimizer({ name, lr: 0.05, momentum: 0.9, weightDecay: 0.01 });
    o2.setState(st, new Map([[v2, 'w']]));
    step(o1, v1, [-0.5, 0.5, 0.2]);
    step(o2, v2, [-0.5, 0.5, 0.2]);
    assert.deepEqual(v2.dataSync(), v1.dataSync(), name);
    assert.throws(() => makeOptimizer({ name: name === 'sgd' ? 'adam' : 'sgd', lr: 1 }).setState(st, new Map([[v2, 'w']])), /optimizer state is for/);
  }
});
