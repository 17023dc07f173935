import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rocAuc, logLoss, predictClasses, accuracyAt } from './index';

test('rocAuc: perfect, reversed and hand-counted orderings', () => {
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 1);
  assert.equal(rocAuc([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1]), 0);
  // pairs (pos, neg): (0.35 vs 0.1 ✓, 0.35 vs 0.4 ✗), (0.8 vs 0.1 ✓, 0.8 vs 0.4 ✓) → 3/4
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
});

test('rocAuc: ties between a positive and a negative count one half', () => {
  // pos {0.5, 0.9}, neg {0.5, 0.1, 0.5}: 0.5 vs (0.5 ½, 0.1 1, 0.5 ½) = 2; 0.9 vs all = 3 → 5/6
  assert.equal(rocAuc([1, 1, 0, 0, 0], [0.5, 0.9, 0.5, 0.1, 0.5]), 5 / 6);
  // all scores equal → 0.5
  assert.equal(rocAuc([1, 0, 1, 0, 0], [3, 3, 3, 3, 3]), 0.5);
});

test('rocAuc: agrees with the brute-force pair count on random data with many ties', () => {
  let s = 12345;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const n = 300;
  const y = Array.from({ length: n }, () => (rnd() < 0.3 ? 1 : 0));
  const p = Array.from({ length: n }, () => Math.floor(rnd() * 10) / 10);
  let num = 0, den = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    if (y[i] === 1 && y[j] === 0) { den++; num += p[i]! > p[j]! ? 1 : p[i] === p[j] ? 0.5 : 0; }
  }
  assert.ok(Math.abs(rocAuc(y, p) - num / den) < 1e-12);
});

test('rocAuc: rejects one-class and bad labels', () => {
  assert.throws(() => rocAuc([1, 1], [0.1, 0.2]), /both classes/);
  assert.throws(() => rocAuc([1, 2], [0.1, 0.2]), /0 or 1/);
});

test('logLoss: hand-computed values and clipping', () => {
  // -(ln 0.8 + ln(1-0.3)) / 2
  assert.ok(Math.abs(logLoss([1, 0], [0.8, 0.3]) - (-(Math.log(0.8) + Math.log(0.7)) / 2)) < 1e-12);
  assert.ok(Math.abs(logLoss([1, 1, 0], [0.5, 0.5, 0.5]) - Math.LN2) < 1e-12);
  // p = 0 for a positive is clipped to 1e-15 → -ln(1e-15)
  assert.ok(Math.abs(logLoss([1], [0]) - -Math.log(1e-15)) < 1e-9);
  assert.throws(() => logLoss([1], [1.5]), /outside/);
});

test('predictClasses / accuracyAt: row argmax (first of ties) and the accuracy over chosen rows', async () => {
  const tf = await import('@tensorflow/tfjs');
  const logits = tf.tensor2d([[0.1, 0.9, 0.0], [2, 2, 1], [-1, -3, -2], [0, 0, 5]]);
  const pred = predictClasses(logits);
  assert.deepEqual([...pred], [1, 0, 0, 2]);
  const y = Int32Array.from([1, 1, 0, 0]);
  assert.equal(accuracyAt(pred, y, Int32Array.from([0, 2])), 1);
  assert.equal(accuracyAt(pred, y, Int32Array.from([1, 2, 3])), 1 / 3);
  assert.ok(Number.isNaN(accuracyAt(pred, y, [])));
  logits.dispose();
});
