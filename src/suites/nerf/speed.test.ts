import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NeRF, type NerfConfig } from './models/nerf';
import { mlpFlopsPerRay } from './speed';

test('mlpFlopsPerRay: hand count for a Tiny-NeRF-shaped net', () => {
  const tiny: NerfConfig = { posFreqs: 10, dirFreqs: 4, useViewdirs: false, depth: 3, width: 128, skips: [], nSamples: 64, nImportance: 0 };
  const m = new NeRF(tiny, 0);
  const fwd = 63 * 128 + 128 * 128 * 2 + 128 * 4; // 41,280 MAC per point, as the anchors count (41.3 k)
  assert.equal(m.coarse.macsPerPoint, fwd);
  assert.equal(mlpFlopsPerRay(m, 'bp'), 2 * 64 * (fwd + 2 * fwd - 63 * 128));
  assert.equal(mlpFlopsPerRay(m, 'dfa'), 2 * 64 * (fwd + fwd + 3 * 4 * 128));
  assert.equal(mlpFlopsPerRay(m, 'shallow'), 2 * 64 * (fwd + 128 * 4));
  m.dispose();
});

test('mlpFlopsPerRay: the skip and view inputs count in the forward, not in BP\'s input gradients', () => {
  const cfg: NerfConfig = { posFreqs: 1, dirFreqs: 1, useViewdirs: true, depth: 2, width: 4, skips: [0], nSamples: 1, nImportance: 0 };
  const m = new NeRF(cfg, 0);
  // encoded widths: position 9, direction 9. Layers: pts0 9·4, pts1 4·4 + 9·4 (skip), alpha 4·1, feature 4·4, views 4·2 + 9·2, rgb 2·3
  const fwd = 36 + 16 + 36 + 4 + 16 + 8 + 18 + 6;
  assert.equal(m.coarse.macsPerPoint, fwd);
  assert.equal(mlpFlopsPerRay(m, 'bp'), 2 * (fwd + fwd + (16 + 4 + 16 + 8 + 6)));
  assert.equal(mlpFlopsPerRay(m, 'shallow'), 2 * (fwd + 4 + 6));
  m.dispose();
});
