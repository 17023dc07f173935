import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { volumeRender } from './render';

const sig = (x: number) => 1 / (1 + Math.exp(-x));

test('volumeRender: hand-computed weights, colour, and Σw = 1 - transmittance', () => {
  // One ray, 3 samples at z = 1, 1.5, 2.5 along d = (0, 0, -2) (|d| = 2): δ = 1, 2, 2e10.
  const raw = tf.tensor2d([[0, 0, 0, 0.5], [2, -2, 0, 1], [-1, 1, 3, -3]]);
  const z = new Float32Array([1, 1.5, 2.5]);
  const dirs = new Float32Array([0, 0, -2]);
  const out = volumeRender(raw, z, dirs, 1, { whiteBackground: false });
  const a1 = 1 - Math.exp(-0.5 * 1), a2 = 1 - Math.exp(-1 * 2), a3 = 0; // relu(-3) = 0
  const w = [a1, (1 - a1) * a2, (1 - a1) * (1 - a2) * a3];
  const got = out.weights.dataSync();
  w.forEach((x, i) => assert.ok(Math.abs(got[i]! - x) < 1e-6, `w${i} ${got[i]} vs ${x}`));
  const T = (1 - a1) * (1 - a2) * (1 - a3);
  assert.ok(Math.abs(out.acc.dataSync()[0]! - (1 - T)) < 1e-6);
  const rgb = out.rgb.dataSync();
  const c = [[0, 0, 0], [2, -2, 0], [-1, 1, 3]];
  for (let k = 0; k < 3; k++) {
    const want = w.reduce((s, wi, i) => s + wi * sig(c[i]![k]!), 0);
    assert.ok(Math.abs(rgb[k]! - want) < 1e-6, `rgb${k}`);
  }
  const white = volumeRender(raw, z, dirs, 1, { whiteBackground: true }).rgb.dataSync();
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(white[k]! - (rgb[k]! + T)) < 1e-6);
  assert.ok(Math.abs(out.depth.dataSync()[0]! - (w[0]! * 1 + w[1]! * 1.5 + w[2]! * 2.5)) < 1e-6);
});

test('volumeRender: Σw = 1 - Π(1-α) on random rays, and the opaque last sample closes the ray', () => {
  const rng = new Rng(3);
  const R = 5, S = 16;
  const raw = tf.tensor2d(rng.normalArray(R * S * 4), [R * S, 4]);
  const z = new Float32Array(R * S);
  for (let r = 0; r < R; r++) for (let s = 0; s < S; s++) z[r * S + s] = 2 + (4 * s) / S + 0.1 * rng.next();
  const dirs = rng.normalArray(R * 3);
  const out = volumeRender(raw, z, dirs, R, { whiteBackground: false, noiseStd: 0.5, rng: new Rng(4) });
  const w = out.weights.dataSync();
  const acc = out.acc.dataSync();
  for (let r = 0; r < R; r++) {
    let s = 0;
    for (let k = 0; k < S; k++) s += w[r * S + k]!;
    assert.ok(Math.abs(s - acc[r]!) < 1e-5);
    assert.ok(acc[r]! <= 1 + 1e-6 && acc[r]! >= 0);
  }
});

test('volumeRender: gradients w.r.t. raw outputs match central finite differences', () => {
  const rng = new Rng(7);
  const R = 2, S = 5;
  const raw0 = rng.normalArray(R * S * 4);
  const z = new Float32Array(R * S);
  for (let r = 0; r < R; r++) for (let s = 0; s < S; s++) z[r * S + s] = 2 + 0.5 * s + 0.2 * rng.next();
  const dirs = new Float32Array([0.3, -0.2, -1, 0.1, 0.4, -0.9]);
  const target = rng.uniformArray(R * 3);
  // The NeRF loss: MSE of the rendered colour on a white background, plus the depth (so δ matters).
  const loss = (raw: tf.Tensor2D) => {
    const o = volumeRender(raw, z, dirs, R, { whiteBackground: true });
    return tf.add(tf.mean(tf.square(tf.sub(o.rgb, tf.tensor2d(target, [R, 3])))), tf.mul(0.01, tf.sum(o.depth))) as tf.Scalar;
  };
  // Float64 reference loss for the finite differences.
  const loss64 = (raw: Float64Array) => {
    let l = 0, dep = 0;
    for (let r = 0; r < R; r++) {
      const norm = Math.hypot(dirs[r * 3]!, dirs[r * 3 + 1]!, dirs[r * 3 + 2]!);
      let T = 1;
      const c = [0, 0, 0];
      let acc = 0;
      for (let s = 0; s < S; s++) {
        const k = r * S + s;
        const d = (s === S - 1 ? 1e10 : z[k + 1]! - z[k]!) * norm;
        const a = 1 - Math.exp(-Math.max(0, raw[k * 4 + 3]!) * d);
        const w = T * a;
        for (let ch = 0; ch < 3; ch++) c[ch] += w * sig(raw[k * 4 + ch]!);
        acc += w;
        dep += w * z[k]!;
        T *= 1 - a;
      }
      for (let ch = 0; ch < 3; ch++) l += (c[ch]! + 1 - acc - target[r * 3 + ch]!) ** 2 / (R * 3);
    }
    return l + 0.01 * dep;
  };
  const g = tf.grad((t: tf.Tensor) => loss(t as tf.Tensor2D))(tf.tensor2d(raw0, [R * S, 4])).dataSync();
  const base = Float64Array.from(raw0);
  const eps = 1e-4;
  let maxErr = 0, maxRef = 0;
  for (let i = 0; i < base.length; i++) {
    if (i % 4 === 3 && Math.abs(base[i]!) < 2 * eps) continue; // relu kink
    const p = Float64Array.from(base); p[i] += eps;
    const m = Float64Array.from(base); m[i] -= eps;
    const fd = (loss64(p) - loss64(m)) / (2 * eps);
    maxErr = Math.max(maxErr, Math.abs(fd - g[i]!));
    maxRef = Math.max(maxRef, Math.abs(fd));
  }
  assert.ok(maxRef > 1e-3, 'the test must exercise non-zero gradients');
  assert.ok(maxErr / maxRef < 1e-3, `relative gradient error ${maxErr / maxRef}`);
});
