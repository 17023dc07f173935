/**
 * SparseEmbedding: the native gather / lazy Adam (native backend) against the plain loops (cpu
 * backend) — same unique rows, slots, gathered values and updated table, moments and untouched
 * rows — and a hand-computed first Adam step; bad indices and non-finite gradients are named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { onBackend } from '../../test/on_backend';
import { Rng } from '../engine/rng';
import { NATIVE_BACKEND } from '../engine/native/name';
import { SparseEmbedding } from './sparse_embedding';

const nativeSkip = tf.findBackend(NATIVE_BACKEND) ? false : 'native backend not registered (addon not built)';

function twoSteps() {
  const rng = new Rng(4);
  const E = new SparseEmbedding(300, 5, 'xavier', new Rng(1));
  const out: { unique: number[]; slots: number[]; gathered: number[] }[] = [];
  for (let s = 0; s < 2; s++) {
    const idx = Int32Array.from({ length: 64 }, () => rng.int(s === 0 ? 300 : 40)); // repeats within the batch
    const l = E.lookup(idx, true);
    out.push({ unique: Array.from(l.unique), slots: Array.from(l.slots), gathered: Array.from(l.gathered.dataSync()) });
    E.applyGrads(l, rng.normalArray(64 * 5), { lr: 0.01, weightDecay: 1e-3 });
    l.dispose();
  }
  return { out, table: Float32Array.from(E.table) };
}

test('native sparse gather and lazy Adam equal the plain loops', { skip: nativeSkip }, async () => {
  const ref = await onBackend('cpu', twoSteps);
  const got = await onBackend(NATIVE_BACKEND, twoSteps);
  got.out.forEach((o, s) => {
    assert.deepEqual(o.unique, ref.out[s]!.unique, `step ${s}: unique rows`);
    assert.deepEqual(o.slots, ref.out[s]!.slots, `step ${s}: slots`);
    o.gathered.forEach((v, i) => assert.ok(Math.abs(v - ref.out[s]!.gathered[i]!) < 1e-6, `step ${s}: gathered ${i}`));
  });
  let maxErr = 0;
  got.table.forEach((v, i) => (maxErr = Math.max(maxErr, Math.abs(v - ref.table[i]!))));
  assert.ok(maxErr < 1e-6, `tables differ by ${maxErr}`);
});

test('first lazy Adam step by hand: touched rows move by lr·sign(g), others do not', () => {
  const E = new SparseEmbedding(6, 2, 'zeros', new Rng(0));
  const l = E.lookup(Int32Array.from([4, 1, 4]), true);
  assert.deepEqual(Array.from(l.unique), [4, 1]);
  assert.deepEqual(Array.from(l.slots), [0, 1, 0]);
  // row 4 gets (0.5 + 0.25, −1 + 0), row 1 gets (2, 0): Adam's first step is lr · g / (|g| + eps)
  E.applyGrads(l, Float32Array.from([0.5, -1, 2, 0, 0.25, 0]), { lr: 0.1 });
  l.dispose();
  const expect = [0, 0, -0.1, 0, 0, 0, 0, 0, -0.1, 0.1, 0, 0];
  E.table.forEach((v, i) => assert.ok(Math.abs(v - expect[i]!) < 1e-6, `table[${i}] = ${v}, expected ${expect[i]}`));
});

test('an index outside the table and a non-finite gradient are named', () => {
  const E = new SparseEmbedding(10, 3, 'xavier', new Rng(0));
  assert.throws(() => E.lookup(Int32Array.from([1, 10]), false), /index 10 outside \[0, 10\)/);
  const l = E.lookup(Int32Array.from([7, 2]), true);
  assert.throws(() => E.applyGrads(l, Float32Array.from([0, 0, 0, NaN, 0, 0]), { lr: 0.1 }), /non-finite gradient.*row 2/);
  l.dispose();
});
