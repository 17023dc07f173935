import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { NeRF, type NerfConfig } from './nerf';
import { getRays } from './rays';
import { mlpFlopsPerRay } from '../train';
import { sideBySide } from '../experiments/reproduce';

const cfg: NerfConfig = { posFreqs: 2, dirFreqs: 1, useViewdirs: true, depth: 2, width: 8, skips: [0], nSamples: 4, nImportance: 4 };
const camera = { H: 3, W: 3, focal: 3, near: 2, far: 6, ndc: false, whiteBackground: true };

test('checkpoint: save → load renders the same pixels; bad files give clear errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nerf-ck-'));
  try {
    const model = new NeRF(cfg, 4);
    saveCheckpoint(join(dir, 'run', 'model.json'), model, { method: 'dfa', seed: 4, scene: 'test', camera, renderPoses: [new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 4])] });
    const { model: back, ck } = loadCheckpoint(join(dir, 'run'));
    assert.equal(ck.method, 'dfa');
    assert.equal(ck.renderPoses.length, 1);
    const rays = getRays(3, 3, 3, ck.renderPoses[0]!);
    const a = model.render(rays, camera).rgb, b = back.render(rays, camera).rgb;
    assert.deepEqual(Array.from(a), Array.from(b));
    assert.throws(() => loadCheckpoint(join(dir, 'missing')), /no NeRF checkpoint/);
    model.dispose();
    back.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

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

test('sideBySide: tiles columns with a white gutter', () => {
  const img = (v: number) => new Float32Array(2 * 2 * 3).fill(v);
  const t = sideBySide([[img(0)], [img(0.5)]], 2, 2);
  assert.equal(t.width, 6);
  assert.equal(t.height, 2);
  assert.equal(t.data[0], 0);
  assert.equal(t.data[2 * 3], 1); // gutter
  assert.equal(t.data[4 * 3], 0.5);
});
