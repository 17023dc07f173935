import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { encodedWidth, positionalEncoding, positionalEncodingArray } from './encoding';

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
  const noIn = positionalEncoding(x, 2, false);
  assert.deepEqual(noIn.shape, [1, 12]);
  tf.dispose([x, e, noIn]);
});

test('positionalEncodingArray matches the tensor version', () => {
  const pts = new Float32Array([0.3, -2, 1.5, 4, 0, -0.7]);
  const a = positionalEncodingArray(pts, 3, 10);
  const x = tf.tensor2d(pts, [2, 3]);
  const b = positionalEncoding(x, 10).dataSync();
  assert.equal(a.length, 2 * 63);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-5, `col ${i}`);
  x.dispose();
});
