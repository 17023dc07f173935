/**
 * NeRF scenes: a Blender scene's transforms JSON (the shared lego's, all 100 frames) and an LLFF
 * scene's poses_bounds.npy (the shared fern's), each with tiny stand-in images so a case reads in
 * milliseconds.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '../../../src/data/paths';
import { loadBlender } from '../../../src/suites/nerf/data/blender';
import { loadLlff } from '../../../src/suites/nerf/data/llff';
import type { NerfScene } from '../../../src/suites/nerf/data/scene';
import type { FuzzTarget } from '../harness';
import { smallPng } from './images';

const images = mkdtempSync(join(tmpdir(), 'dfa-fuzz-nerf-'));
process.on('exit', () => rmSync(images, { recursive: true, force: true }));
mkdirSync(join(images, 'lego'));
mkdirSync(join(images, 'fern'));
const png = smallPng(4, 3, 6);
for (let i = 0; i < 100; i++) writeFileSync(join(images, 'lego', `r_${i}.png`), png);
for (let i = 0; i < 20; i++) writeFileSync(join(images, 'fern', `image${String(i).padStart(3, '0')}.png`), png);

function checkScene(s: NerfScene): void {
  if (!(s.H >= 1 && s.W >= 1 && Number.isFinite(s.focal) && s.focal > 0)) throw new Error(`camera ${s.W}×${s.H}, focal ${s.focal}`);
  for (const v of [...s.train, ...s.val, ...s.test]) {
    if (v.image.length !== s.H * s.W * 3) throw new Error(`image of ${v.image.length} values`);
    if (v.pose.length !== 12 || v.pose.some((x) => !Number.isFinite(x))) throw new Error(`pose ${Array.from(v.pose)} of ${v.name}`);
  }
  for (const p of s.renderPoses) if (p.some((x) => !Number.isFinite(x))) throw new Error('a render pose is not finite');
}

const lego = join(sharedDataDir(), 'nerf/lego_200/transforms_train.json');

export const blender: FuzzTarget<NerfScene> = {
  name: 'nerf-blender',
  seeds: [{ 'transforms_train.json': new Uint8Array(readFileSync(lego)) }],
  prepare: (dir) => symlinkSync(join(images, 'lego'), join(dir, 'train')),
  load: (dir) => loadBlender(dir, { splits: ['train'], renderFrames: 4 }),
  check: checkScene,
};

const fern = join(sharedDataDir(), 'nerf/fern/poses_bounds.npy');

export const llff: FuzzTarget<NerfScene> = {
  name: 'nerf-llff',
  seeds: [{ 'poses_bounds.npy': new Uint8Array(readFileSync(fern)) }],
  prepare: (dir) => symlinkSync(join(images, 'fern'), join(dir, 'images_8')),
  load: (dir) => loadLlff(dir, { factor: 8, renderFrames: 4 }),
  check: checkScene,
};
