import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '../../../data/paths';
import { loadBlender } from './blender';
import { loadLlff } from './llff';

const lego = join(sharedDataDir(), 'nerf/lego_200');
const fern = join(sharedDataDir(), 'nerf/fern');

test('loadBlender: shared lego_200 counts, sizes, focal, white compositing, half resolution', { skip: !existsSync(lego) && 'no shared lego' }, () => {
  const s = loadBlender(lego, { splits: ['train', 'test'], testskip: 8 });
  assert.equal(s.train.length, 100);
  assert.equal(s.test.length, 25);
  assert.equal(s.H, 200);
  assert.equal(s.W, 200);
  assert.ok(Math.abs(s.focal - (0.5 * 200) / Math.tan(0.5 * 0.6911112070083618)) < 1e-9);
  assert.ok(Math.abs(s.focal - 277.7777) < 1e-3);
  // Corner pixels are transparent background → white after compositing.
  const img = s.train[0]!.image;
  assert.equal(img.length, 200 * 200 * 3);
  assert.deepEqual(Array.from(img.subarray(0, 3)), [1, 1, 1]);
  // Camera 0 sits about 4 units from the origin.
  const p = s.train[0]!.pose;
  assert.ok(Math.abs(Math.hypot(p[3]!, p[7]!, p[11]!) - 4.031) < 0.01);
  const half = loadBlender(lego, { splits: ['val'], factor: 2, maxPerSplit: { val: 2 } });
  assert.equal(half.val.length, 2);
  assert.equal(half.W, 100);
  assert.ok(Math.abs(half.focal - s.focal / 2) < 1e-9);
});

test('loadLlff: shared fern poses_bounds.npy, hold-out every 8th, NDC bounds, recentred poses', { skip: !existsSync(fern) && 'no shared fern' }, () => {
  const s = loadLlff(fern, { factor: 8 });
  assert.equal(s.W, 504);
  assert.equal(s.H, 378);
  assert.equal(s.train.length + s.test.length, 20);
  assert.deepEqual(s.test.map((v) => v.name.slice(-12)), ['image000.png', 'image008.png', 'image016.png']);
  assert.ok(Math.abs(s.focal - 3260.5263328805895 / 8) < 1e-6);
  assert.equal(s.near, 0);
  assert.equal(s.far, 1);
  assert.ok(s.ndc);
  // After recentring, the mean camera centre is the origin and the mean viewing axis is +z.
  const all = [...s.train, ...s.test];
  const c = [0, 1, 2].map((k) => all.reduce((a, v) => a + v.pose[k * 4 + 3]!, 0) / all.length);
  c.forEach((x) => assert.ok(Math.abs(x) < 1e-9));
  const z = [0, 1, 2].map((k) => all.reduce((a, v) => a + v.pose[k * 4 + 2]!, 0));
  assert.ok(z[2]! / Math.hypot(...z) > 0.9999);
  const small = loadLlff(fern, { downscale: 4 });
  assert.equal(small.W, 126);
  assert.ok(Math.abs(small.focal - s.focal / 4) < 1e-9);
});

test('loadLlff: a NaN in a pose names poses_bounds.npy (not "training diverged at step 0")', { skip: !existsSync(fern) && 'no shared fern' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'llff-'));
  try {
    const npy = Buffer.from(readFileSync(join(fern, 'poses_bounds.npy')));
    npy.writeDoubleLE(NaN, npy.length - 17 * 8 + 3 * 8); // the last pose's x translation
    writeFileSync(join(dir, 'poses_bounds.npy'), npy);
    symlinkSync(join(fern, 'images_8'), join(dir, 'images_8'));
    assert.throws(() => loadLlff(dir, { factor: 8 }), /poses_bounds\.npy: pose 19 has a non-finite value \(NaN\) in column 3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
