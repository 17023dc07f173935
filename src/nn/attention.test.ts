import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { Feedback } from '../feedback';
import { fdCheck, maxRelErr } from '../../test/helpers';
import { causalSelfAttention, type AttentionParams } from './attention';

function params(rng: Rng, d: number): AttentionParams {
  return {
    wqkv: tf.tensor(rng.normalArray(d * 3 * d, 0, 0.4), [d, 3 * d]),
    bqkv: tf.tensor(rng.normalArray(3 * d, 0, 0.1)),
    wo: tf.tensor(rng.normalArray(d * d, 0, 0.4), [d, d]),
    bo: tf.tensor(rng.normalArray(d, 0, 0.1)),
  };
}

test('causal attention: gradients for input and all weights match finite differences', () => {
  tf.tidy(() => {
    const rng = new Rng(2);
    const B = 2, T = 4, d = 6, H = 2;
    const x = tf.tensor(rng.normalArray(B * T * d), [B, T, d]) as tf.Tensor3D;
    const p = params(rng, d);
    const R = tf.tensor(rng.normalArray(B * T * d), [B, T, d]);
    const f = (xx: tf.Tensor, a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, e: tf.Tensor) =>
      tf.sum(tf.mul(causalSelfAttention(xx as tf.Tensor3D, { wqkv: a, bqkv: b, wo: c, bo: e }, { heads: H }), R)) as tf.Scalar;
    fdCheck(f as (...xs: tf.Tensor[]) => tf.Scalar, [x, p.wqkv, p.bqkv, p.wo, p.bo]);
  });
});

test('causal attention: no position sees the future', () => {
  tf.tidy(() => {
    const rng = new Rng(3);
    const T = 5, d = 8;
    const p = { ...params(rng, d), bqkv: tf.zeros([3 * d]), bo: tf.zeros([d]) };
    const xa = rng.normalArray(T * d);
    const xb = xa.slice();
    for (let j = 3 * d; j < T * d; j++) xb[j] = xb[j]! + 5 * rng.normal(); // perturb positions 3, 4
    const ya = causalSelfAttention(tf.tensor(xa, [1, T, d]) as tf.Tensor3D, p, { heads: 2 }).dataSync();
    const yb = causalSelfAttention(tf.tensor(xb, [1, T, d]) as tf.Tensor3D, p, { heads: 2 }).dataSync();
    for (let j = 0; j < 3 * d; j++) assert.ok(Math.abs(ya[j]! - yb[j]!) < 1e-6, `position ${Math.floor(j / d)} changed`);
    let moved = 0;
    for (let j = 3 * d; j < T * d; j++) moved = Math.max(moved, Math.abs(ya[j]! - yb[j]!));
    assert.ok(moved > 1e-2);
    assert.throws(() => causalSelfAttention(tf.zeros([1, T, d]) as tf.Tensor3D, p, { heads: 3 }), /not divisible by 3 heads/);
  });
});

test('causal attention under FA: both projections send dy·B to their input, weights keep their true gradients', () => {
  const rng = new Rng(4);
  const B = 2, T = 3, d = 4;
  const x = tf.variable(tf.tensor(rng.normalArray(B * T * d), [B, T, d]));
  const p = params(rng, d);
  const vars = [x, ...Object.values(p).map((t) => tf.variable(t))];
  const [, wqkv, bqkv, wo, bo] = vars as tf.Variable[];
  const R = tf.tensor(rng.normalArray(B * T * d), [B, T, d]);
  const grads = (method: 'bp' | 'fa') => {
    const fb = new Feedback({ method, seed: 1 });
    const { value, grads } = fb.grads(() => tf.sum(tf.mul(causalSelfAttention(x as tf.Tensor3D, { wqkv: wqkv!, bqkv: bqkv!, wo: wo!, bo: bo! }, { heads: 2, fb, name: 'a' }), R)) as tf.Scalar, vars);
    value.dispose();
    const fa = fb.faMatrixOf('a.wqkv') !== null && fb.faMatrixOf('a.wo') !== null;
    fb.dispose();
    return { g: vars.map((v) => grads.get(v)!), fa };
  };
  const bp = grads('bp'), fa = grads('fa');
  assert.ok(fa.fa && !bp.fa, 'FA draws one matrix per projection, named after the layer');
  // W_o sees the true dy; its input gradient (and everything below it) takes B instead of W_oᵀ
  assert.ok(maxRelErr(fa.g[3]!, bp.g[3]!) < 1e-6, 'wo gets its true gradient');
  assert.ok(maxRelErr(fa.g[4]!, bp.g[4]!) < 1e-6, 'bo gets its true gradient');
  assert.ok(maxRelErr(fa.g[1]!, bp.g[1]!) > 0.1, 'wqkv learns from the FA signal, not the BP one');
  assert.ok(maxRelErr(fa.g[0]!, bp.g[0]!) > 0.1, 'the input receives the FA signal');
  tf.dispose([...bp.g, ...fa.g, ...vars, R]);
});
