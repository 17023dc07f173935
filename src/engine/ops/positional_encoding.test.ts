import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { positionalEncodingArray } from '../cpu/positional_encoding';
import { encodedWidth, positionalEncoding } from './positional_encoding';

test('positionalEncoding: widths and hand-computed values, frequency-major as nerf', () => {
  assert.equal(encodedWidth(3, 10), 63);
  assert.equal(encodedWidth(3, 4), 27);
  const x = tf.tensor2d([[0.5, -1, 2]]);
  const e = positionalEncoding(x, 2);
  assert.deepEqual(e.shape, [1, 15]);
  const v = e.dataSync();
  const expect: number[] = [0.5, -1, 2];
  for (const f of [1, 2]) {
    for (const p of [0.5, -1, 2]) expect.push(Math.sin(f * p));
    for (const p of [0.5, -1, 2]) expect.push(Math.cos(f * p));
  }
  expect.forEach((want, i) => assert.ok(Math.abs(v[i]! - want) < 1e-6, `col ${i}: ${v[i]} vs ${want}`));
  const noIn = positionalEncoding(x, 2, { includeInput: false });
  assert.deepEqual(noIn.shape, [1, 12]);
  tf.dispose([x, e, noIn]);
});

test('positionalEncoding gives exactly the JS values (Math.sin/cos in double, rounded to float32) on every backend', () => {
  // the native kernel takes most frequencies from a double-angle recurrence: every scale, more than
  // 10 frequencies (a re-seed), zeros, tiny values, NaN and infinities must still round the same
  const rng = new Rng(3);
  for (const [scale, L] of [[0.01, 10], [6, 10], [2000, 16]] as const) {
    const pts = rng.uniformArray(5000 * 3, -scale, scale);
    pts.set([0, -0, 1e-30, NaN, Infinity, -Infinity, 3.1415927, 1.5707964, 1e7]);
    const a = positionalEncodingArray(pts, 3, L);
    const x = tf.tensor2d(pts, [5000, 3]);
    const b = positionalEncoding(x, L).dataSync();
    assert.equal(a.length, 5000 * encodedWidth(3, L));
    let differ = 0;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
    assert.equal(differ, 0, `scale ${scale}, ${L} frequencies: ${differ} of ${a.length} values differ`);
    x.dispose();
  }
});

test('positionalEncoding repeats each encoded row (a ray\'s direction for its samples)', () => {
  const x = tf.tensor2d([[0.5, -1, 2], [0.1, 0.2, -0.3]]);
  const e = positionalEncoding(x, 4, { repeat: 3 });
  assert.deepEqual(e.shape, [6, 27]);
  const v = e.dataSync();
  const one = positionalEncodingArray(new Float32Array([0.5, -1, 2, 0.1, 0.2, -0.3]), 3, 4);
  for (let r = 0; r < 6; r++) assert.deepEqual(Array.from(v.subarray(r * 27, r * 27 + 27)), Array.from(one.subarray(Math.floor(r / 3) * 27, Math.floor(r / 3) * 27 + 27)), `row ${r}`);
  assert.throws(() => positionalEncoding(x, 4, { repeat: 0 }), /repeat must be a positive integer/);
  tf.dispose([x, e]);
});
