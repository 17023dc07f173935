/**
 * SparseEmbedding with lazy Adam (src/optim/sparse_adam.ts): the native embedding row kernels
 * (gather, sparse Adam, the squared norm clipping counts) against the cpu ones — same unique rows,
 * slots, gathered values, updated table and norm — and bad indices named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllClose, nativeSkip, onBackend } from '../../test/helpers';
import { Rng } from '../engine/rng';
import { NATIVE_BACKEND } from '../engine/native/name';
import { rowsSquaredNorm } from '../engine/ops/embedding_rows';
import { SparseAdam } from '../optim/sparse_adam';
import { SparseEmbedding } from './sparse_embedding';

function twoSteps() {
  const rng = new Rng(4);
  const E = new SparseEmbedding(300, 5, 'xavier', new Rng(1));
  const opt = new SparseAdam({ weightDecay: 1e-3 });
  const out: { unique: number[]; slots: number[]; gathered: number[] }[] = [];
  for (let s = 0; s < 2; s++) {
    const idx = Int32Array.from({ length: 64 }, () => rng.int(s === 0 ? 300 : 40)); // repeats within the batch
    const l = E.lookup(idx, true);
    out.push({ unique: Array.from(l.unique), slots: Array.from(l.slots), gathered: Array.from(l.gathered.dataSync()) });
    opt.step(E, l, rng.normalArray(64 * 5), 0.01);
    l.dispose();
  }
  return { out, table: Float32Array.from(E.table) };
}

test('native embedding row kernels (gather, lazy Adam) equal the cpu loops', { skip: nativeSkip() }, async () => {
  const ref = await onBackend('cpu', twoSteps);
  const got = await onBackend(NATIVE_BACKEND, twoSteps);
  got.out.forEach((o, s) => {
    assert.deepEqual(o.unique, ref.out[s]!.unique, `step ${s}: unique rows`);
    assert.deepEqual(o.slots, ref.out[s]!.slots, `step ${s}: slots`);
    // the kernels' Adam rounds in float32 (native) or float64 (cpu): rows agree to float rounding
    assertAllClose(o.gathered, ref.out[s]!.gathered, 1e-6, `step ${s}: gathered rows`);
  });
  assertAllClose(got.table, ref.table, 1e-6, 'tables after two steps');
});

test('the squared norm of the per-row gradient sums: native equals the cpu loop (same float sums, same double order), which equals the sum over segmentSum', { skip: nativeSkip() }, async () => {
  const norms = () => {
    const rng = new Rng(7);
    const E = new SparseEmbedding(500, 16, 'xavier', new Rng(2));
    return [3, 64, 5000].map((n) => {
      const l = E.lookup(Int32Array.from({ length: n }, () => rng.int(n < 100 ? 20 : 500)), false); // repeats within the batch
      const g = rng.normalArray(n * 16);
      let bySegments = 0;
      for (const x of E.segmentSum(l, g)) bySegments += x * x;
      const r = [rowsSquaredNorm(16, l.unique.length, l.slots, g), bySegments];
      l.dispose();
      return r;
    });
  };
  const ref = await onBackend('cpu', norms);
  const got = await onBackend(NATIVE_BACKEND, norms);
  for (const [i, [norm, bySegments]] of ref.entries()) {
    assert.equal(norm, bySegments, `cpu, case ${i}`);
    assert.equal(got[i]![0], norm, `native, case ${i}: bit for bit`);
  }
  assert.throws(() => rowsSquaredNorm(4, 1, Int32Array.from([0, 0]), new Float32Array(7)), /gradient has 7 values, expected 2×4/);
});

test('lookup: unique rows in order of first use, each index its slot, the rows copied; an index outside the table is named', () => {
  const E = new SparseEmbedding(6, 2, 'normal', new Rng(0), 1);
  const l = E.lookup(Int32Array.from([4, 1, 4]), false);
  assert.deepEqual(Array.from(l.unique), [4, 1]);
  assert.deepEqual(Array.from(l.slots), [0, 1, 0]);
  assert.deepEqual(Array.from(l.gathered.dataSync()), [...E.table.subarray(8, 10), ...E.table.subarray(2, 4), ...E.table.subarray(8, 10)]);
  l.dispose();
  assert.throws(() => E.lookup(Int32Array.from([1, 6]), false), /index 6 outside \[0, 6\)/);
});
