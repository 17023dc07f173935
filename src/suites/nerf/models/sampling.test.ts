import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../engine/rng';
import { hierarchicalSamples, samplePdf, stratifiedSamples } from './sampling';

test('stratifiedSamples: one sample per stratum, deterministic without rng', () => {
  const z = stratifiedSamples(1, 5, 2, 6);
  assert.deepEqual(Array.from(z), [2, 3, 4, 5, 6]);
  const zr = stratifiedSamples(200, 5, 2, 6, new Rng(1));
  for (let r = 0; r < 200; r++) {
    assert.ok(zr[r * 5]! >= 2 && zr[r * 5]! <= 2.5);
    for (let s = 1; s < 4; s++) assert.ok(zr[r * 5 + s]! >= 2 + s - 0.5 && zr[r * 5 + s]! <= 2 + s + 0.5);
    assert.ok(zr[r * 5 + 4]! >= 5.5 && zr[r * 5 + 4]! <= 6);
  }
});

test('samplePdf: inverse-CDF samples reproduce a known piecewise-constant distribution', () => {
  // Bins [0,1), [1,2), [2,4), [4,5) with weights 1, 3, 0, 4: probabilities ≈ 1/8, 3/8, 0, 4/8, uniform inside.
  const bins = new Float32Array([0, 1, 2, 4, 5]);
  const w = new Float32Array([1, 3, 0, 4]);
  const n = 40000;
  const s = samplePdf(bins, w, 1, n, new Rng(11));
  const counts = [0, 0, 0, 0];
  let firstHalfOfBin1 = 0;
  for (const x of s) {
    const b = x < 1 ? 0 : x < 2 ? 1 : x < 4 ? 2 : 3;
    counts[b]!++;
    if (x >= 1 && x < 1.5) firstHalfOfBin1++;
  }
  const p = [1 / 8, 3 / 8, 0, 4 / 8];
  counts.forEach((c, b) => assert.ok(Math.abs(c / n - p[b]!) < 0.01, `bin ${b}: ${c / n} vs ${p[b]}`));
  assert.ok(Math.abs(firstHalfOfBin1 / counts[1]! - 0.5) < 0.02, 'uniform within a bin');
  // Deterministic quantiles: u = 0.5 is the median, which sits at 2 + (0.5 - 0.5)… the CDF reaches 0.5 at x = 2.
  const det = samplePdf(bins, w, 1, 3);
  assert.ok(Math.abs(det[0]! - 0) < 1e-4 && Math.abs(det[1]! - 2) < 1e-3 && Math.abs(det[2]! - 5) < 1e-4, `det ${Array.from(det)}`);
});

test('hierarchicalSamples: merged, sorted, concentrated where the coarse weights are', () => {
  const nc = 8;
  const zc = stratifiedSamples(1, nc, 0, 7);
  const w = new Float32Array(nc);
  w[4] = 1; // all mass at z = 4: the interior bins around it are [3.5, 4.5)
  const zf = hierarchicalSamples(zc, w, 1, 64, new Rng(2));
  assert.equal(zf.length, nc + 64);
  for (let i = 1; i < zf.length; i++) assert.ok(zf[i]! >= zf[i - 1]!);
  const inside = Array.from(zf).filter((x) => x >= 3.5 && x <= 4.5).length;
  assert.ok(inside >= 60, `${inside} of 72 samples near the surface`);
});
