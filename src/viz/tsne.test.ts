import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../engine/rng';
import { affinities, tsne } from './tsne';
import { centroidSeparation, scatterPng, scatterSvg } from './scatter';

test('t-SNE affinities are symmetric and sum to one', () => {
  const rng = new Rng(0);
  const n = 40, d = 5;
  const X = rng.normalArray(n * d);
  const P = affinities(X, n, d, 10);
  let s = 0;
  for (const v of P) s += v;
  assert.ok(Math.abs(s - 1) < 1e-6);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) assert.equal(P[i * n + j], P[j * n + i]);
});

test('t-SNE separates three Gaussian blobs; random labels do not look separated', () => {
  const rng = new Rng(1);
  const per = 30, d = 10, n = 3 * per;
  const X = new Float32Array(n * d), labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = Math.floor(i / per);
    for (let k = 0; k < d; k++) X[i * d + k] = rng.normal() + (k === labels[i] ? 8 : 0);
  }
  const Y = tsne(X, n, d, { seed: 2, iterations: 400, perplexity: 10 });
  assert.equal(Y.length, 2 * n);
  assert.ok(Y.every(Number.isFinite));
  assert.equal(centroidSeparation(Y, labels), 1);
  const shuffled = Int32Array.from(new Rng(3).permutation(n), (p) => labels[p]!);
  assert.ok(centroidSeparation(Y, shuffled) < 0.7);
  const png = scatterPng([{ title: 'a', points: Y, labels }], 100);
  assert.deepEqual([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  assert.match(scatterSvg([{ title: 'a', points: Y, labels }]), /<circle/);
});
