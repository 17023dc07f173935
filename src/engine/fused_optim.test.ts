import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from './rng';
import { adamUpdate, sgdUpdate, fusedOptimAvailable } from './fused_optim';

const skip = fusedOptimAvailable() ? false : 'fused updates need the native backend';

/** PyTorch's Adam/AdamW and SGD-momentum formulas in float64, the reference. */
function refAdam(p: number[], gs: number[][], h: { lr: number; b1: number; b2: number; eps: number; wd: number; decoupled: boolean }): number[] {
  const m = p.map(() => 0), v = p.map(() => 0);
  gs.forEach((g0, t0) => {
    const t = t0 + 1;
    for (let i = 0; i < p.length; i++) {
      let g = g0[i]!;
      if (!h.decoupled) g += h.wd * p[i]!;
      else p[i] = p[i]! * (1 - h.lr * h.wd);
      m[i] = h.b1 * m[i]! + (1 - h.b1) * g;
      v[i] = h.b2 * v[i]! + (1 - h.b2) * g * g;
      const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - h.b2 ** t) + h.eps;
      p[i] = p[i]! - (h.lr / (1 - h.b1 ** t)) * (m[i]! / denom);
    }
  });
  return p;
}

function refSgd(p: number[], gs: number[][], h: { lr: number; mom: number; wd: number; nesterov: boolean }): number[] {
  const b = p.map(() => 0);
  gs.forEach((g0, t) => {
    for (let i = 0; i < p.length; i++) {
      const g = g0[i]! + h.wd * p[i]!;
      b[i] = t === 0 ? g : h.mom * b[i]! + g;
      p[i] = p[i]! - h.lr * (h.nesterov ? g + h.mom * b[i]! : b[i]!);
    }
  });
  return p;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5): void {
  let max = 0, ref = 1;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i]! - b[i]!));
    ref = Math.max(ref, Math.abs(b[i]!));
  }
  assert.ok(max / ref < tol, `relative error ${max / ref}`);
}

test('fused Adam and AdamW match the PyTorch formulas; the initial tensor is never mutated', { skip }, () => {
  const rng = new Rng(3);
  for (const [decoupled, n] of [[false, 3000], [true, 3000], [false, 600_001]] as const) { // the last one runs on several threads
    const p0 = rng.uniformArray(n, -1, 1);
    const init = tf.tensor(p0.slice(), [n]);
    const v = tf.variable(init); // shares init's data: the first update must copy
    const m = new Float32Array(n), s = new Float32Array(n);
    const gs = [0, 1, 2, 3].map(() => Array.from(rng.uniformArray(n, -1, 1)));
    const h = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05, decoupled };
    gs.forEach((g, t) => {
      const gt = tf.tensor(g, [n]);
      assert.ok(adamUpdate(v, gt, m, s, t + 1, h));
      gt.dispose();
    });
    close(v.dataSync(), refAdam(Array.from(p0), gs, { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.05, decoupled }));
    assert.deepEqual(init.dataSync(), p0, 'the tensor the variable was made from is unchanged');
    v.dispose();
    init.dispose();
  }
});

test('fused SGD with momentum, nesterov and weight decay matches PyTorch', { skip }, () => {
  const rng = new Rng(4);
  for (const nesterov of [false, true]) {
    const n = 2048;
    const p0 = rng.uniformArray(n, -1, 1);
    const v = tf.variable(tf.tensor(p0.slice(), [n]));
    const buf = new Float32Array(n);
    const gs = [0, 1, 2].map(() => Array.from(rng.uniformArray(n, -1, 1)));
    gs.forEach((g, t) => tf.tidy(() => assert.ok(sgdUpdate(v, tf.tensor(g, [n]), buf, t === 0, { lr: 0.1, momentum: 0.9, weightDecay: 1e-3, nesterov }))));
    close(v.dataSync(), refSgd(Array.from(p0), gs, { lr: 0.1, mom: 0.9, wd: 1e-3, nesterov }));
    v.dispose();
  }
});
