import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../engine/rng';
import { negativeSampling, trainTestSplitEdges } from './link_split';
import { averagePrecision } from '../../../metrics/average_precision';

function ring(n: number): { src: Int32Array; dst: Int32Array } {
  const s: number[] = [], d: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const j of [(i + 1) % n, (i + 2) % n]) s.push(i, j), d.push(j, i);
  }
  return { src: Int32Array.from(s), dst: Int32Array.from(d) };
}

test('link split: 5 % / 10 % of the undirected edges, disjoint, train both ways, negatives are non-edges', () => {
  const n = 200;
  const { src, dst } = ring(n); // 400 undirected edges
  const sp = trainTestSplitEdges(n, src, dst, new Rng(0));
  assert.equal(sp.valPos.src.length, 20);
  assert.equal(sp.testPos.src.length, 40);
  assert.equal(sp.trainPos.src.length, 2 * 340);
  const key = (a: number, b: number) => Math.min(a, b) * n + Math.max(a, b);
  const edges = new Set(Array.from(src, (s, e) => key(s, dst[e]!)));
  const seen = new Set<number>();
  for (const set of [sp.valPos, sp.testPos]) for (let e = 0; e < set.src.length; e++) {
    const k = key(set.src[e]!, set.dst[e]!);
    assert.ok(edges.has(k) && !seen.has(k));
    seen.add(k);
  }
  for (let e = 0; e < sp.trainPos.src.length; e++) assert.ok(!seen.has(key(sp.trainPos.src[e]!, sp.trainPos.dst[e]!)));
  for (const set of [sp.valNeg, sp.testNeg]) {
    assert.equal(set.src.length, set === sp.valNeg ? 20 : 40);
    for (let e = 0; e < set.src.length; e++) assert.ok(!edges.has(key(set.src[e]!, set.dst[e]!)) && set.src[e] !== set.dst[e]);
  }
  const neg = negativeSampling(sp.trainPos, n, 500, new Rng(1));
  const train = new Set(Array.from(sp.trainPos.src, (s, e) => s * n + sp.trainPos.dst[e]!));
  for (let e = 0; e < 500; e++) assert.ok(!train.has(neg.src[e]! * n + neg.dst[e]!) && neg.src[e] !== neg.dst[e]);
});

test('average precision matches sklearn on a worked example, ties included', () => {
  // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333...
  assert.ok(Math.abs(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) - 5 / 6) < 1e-12);
  // all tied: AP = precision at full recall = 0.5
  assert.ok(Math.abs(averagePrecision([0, 1, 0, 1], [1, 1, 1, 1]) - 0.5) < 1e-12);
  assert.equal(averagePrecision([1, 0], [0.9, 0.1]), 1);
});
