/**
 * The optimizer steps (adamStep, sgdStep) on the current backend against PyTorch's formulas in
 * float64, and the native fused pass against the tfjs-op step of the cpu backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose, nativeSkip, onBackend } from '../../test/helpers';
import { NATIVE_BACKEND } from './native/name';
import { Rng } from './rng';
import { adamStep, sgdStep, type AdamHyper, type SgdHyper } from './optim_step';

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

/** Runs `steps` steps of the optimizer on a variable made from p0; the final values and whether p0's tensor stayed. */
function runAdam(p0: Float32Array, gs: number[][], h: AdamHyper): { p: Float32Array; initKept: boolean } {
  const n = p0.length;
  const init = tf.tensor(p0.slice(), [n]);
  const v = tf.variable(init); // shares init's data: the first update must not write into it
  let m = tf.zeros([n]), s = tf.zeros([n]);
  gs.forEach((g, t) => {
    const gt = tf.tensor(g, [n]);
    const next = adamStep(v, gt, m, s, t + 1, h);
    if (next.m !== m) { m.dispose(); m = next.m; }
    if (next.s !== s) { s.dispose(); s = next.s; }
    gt.dispose();
  });
  const out = { p: Float32Array.from(v.dataSync()), initKept: init.dataSync().every((x, i) => x === p0[i]) };
  tf.dispose([v, init, m, s]);
  return out;
}

function runSgd(p0: Float32Array, gs: number[][], h: SgdHyper): Float32Array {
  const n = p0.length;
  const v = tf.variable(tf.tensor(p0.slice(), [n]));
  let buf: tf.Tensor | null = h.momentum > 0 ? tf.zeros([n]) : null;
  gs.forEach((g, t) => {
    const gt = tf.tensor(g, [n]);
    const next = sgdStep(v, gt, buf, t === 0, h).buf;
    if (next !== buf) { buf?.dispose(); buf = next; }
    gt.dispose();
  });
  const p = Float32Array.from(v.dataSync());
  tf.dispose([v, ...(buf ? [buf] : [])]);
  return p;
}

test(`adamStep (Adam and AdamW) follows PyTorch; the tensor a variable was made from is never written (${tf.getBackend()})`, () => {
  const rng = new Rng(3);
  for (const [decoupled, n] of [[false, 1], [true, 3000], [false, 600_001]] as const) { // the last runs on several native threads
    const p0 = rng.uniformArray(n, -1, 1);
    const gs = [0, 1, 2, 3].map(() => Array.from(rng.uniformArray(n, -1, 1)));
    const { p, initKept } = runAdam(p0, gs, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.05, decoupled });
    assertClose(p, refAdam(Array.from(p0), gs, { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.05, decoupled }), 1e-5, `adam n=${n} decoupled=${decoupled}`);
    assert.ok(initKept, 'the tensor the variable was made from is unchanged');
  }
});

test(`sgdStep with momentum, nesterov and weight decay follows PyTorch (${tf.getBackend()})`, () => {
  const rng = new Rng(4);
  for (const [momentum, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
    const n = 2048;
    const p0 = rng.uniformArray(n, -1, 1);
    const gs = [0, 1, 2].map(() => Array.from(rng.uniformArray(n, -1, 1)));
    const p = runSgd(p0, gs, { lr: 0.1, momentum, weightDecay: 1e-3, nesterov });
    assertClose(p, refSgd(Array.from(p0), gs, { lr: 0.1, mom: momentum, wd: 1e-3, nesterov }), 1e-5, `sgd momentum ${momentum} nesterov ${nesterov}`);
  }
});

test('the native fused steps equal the tfjs-op steps of the cpu backend', { skip: nativeSkip() }, async () => {
  const rng = new Rng(5);
  for (const n of [1, 7, 4099]) {
    const p0 = rng.uniformArray(n, -1, 1);
    const gs = [0, 1, 2].map(() => Array.from(rng.uniformArray(n, -1, 1)));
    for (const decoupled of [false, true]) {
      const h = { lr: 0.02, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.1, decoupled };
      const [cpu, native] = [await onBackend('cpu', () => runAdam(p0, gs, h).p), await onBackend(NATIVE_BACKEND, () => runAdam(p0, gs, h).p)];
      assertClose(native, cpu, 1e-5, `adam n=${n} decoupled=${decoupled}`);
    }
    const h = { lr: 0.1, momentum: 0.5, weightDecay: 0.01, nesterov: true };
    assertClose(await onBackend(NATIVE_BACKEND, () => runSgd(p0, gs, h)), await onBackend('cpu', () => runSgd(p0, gs, h)), 1e-5, `sgd n=${n}`);
  }
});
