import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../../../../test/helpers';
import type { RunContext } from '../../../command/experiment';
import { encodePngRgb, readPngRgb } from '../../../data/png';
import { Rng } from '../../../engine/rng';
import { poseSpherical } from '../data/scene';
import { runNerf, type NerfRunParams } from './run';

/** A Blender-layout scene folder: 3 training and 1 test view of 8×8 random colours. */
function writeScene(dir: string): void {
  const rng = new Rng(5);
  const frames = (split: string, n: number) => Array.from({ length: n }, (_, i) => {
    const p = poseSpherical(-180 + 90 * i, -30, 4);
    mkdirSync(join(dir, split), { recursive: true });
    writeFileSync(join(dir, split, `r_${i}.png`), encodePngRgb({ width: 8, height: 8, data: rng.uniformArray(8 * 8 * 3) }));
    return { file_path: `./${split}/r_${i}`, transform_matrix: [[p[0], p[1], p[2], p[3]], [p[4], p[5], p[6], p[7]], [p[8], p[9], p[10], p[11]], [0, 0, 0, 1]] };
  });
  for (const [split, n] of [['train', 3], ['test', 1]] as const) writeFileSync(join(dir, `transforms_${split}.json`), JSON.stringify({ camera_angle_x: 0.69, frames: frames(split, n) }));
}

const ctx = (checkpointDir?: string): RunContext => ({ progress: () => {}, log: () => {}, ...(checkpointDir ? { checkpointDir } : {}) });

test('runNerf from JSON params: the model and held-out renders saved; with a checkpoint folder a retry resumes the finished run, same numbers', async () => {
  await withTempDir(async (dir) => {
    const scene = join(dir, 'scene');
    writeScene(scene);
    const p: NerfRunParams = {
      scene: { name: 'lego', data: scene, factor: 1 }, model: { posFreqs: 2, dirFreqs: 1, useViewdirs: true, depth: 2, width: 8, skips: [0], nSamples: 4, nImportance: 4 },
      method: 'dfa', seed: 1, iters: 4, epochSteps: 2, rays: 8, lr: 1e-3, noise: 0, precrop: 1, imagesPerBatch: 1, testViews: null, dual: true,
      modelDir: join(dir, 'models', 'lego-dfa-seed1'),
    };
    const plain = await runNerf(JSON.parse(JSON.stringify(p)), ctx());
    assert.equal(plain.modelDir, p.modelDir);
    assert.ok(existsSync(join(p.modelDir, 'checkpoint.json')));
    assert.equal(plain.renders.length, 1);
    assert.equal(plain.rendersDual.length, 1);
    assert.deepEqual([plain.W, plain.H, plain.views, plain.resumed], [8, 8, 1, false]);
    assert.ok(Number.isFinite(plain.psnr) && plain.psnrDual !== null && Number.isFinite(plain.raysPerSec) && plain.gemmPeakGflops > 0);
    assert.equal(readPngRgb(plain.renders[0]!).width, 8);

    const ck = join(dir, 'ck');
    const first = await runNerf(p, ctx(ck));
    assert.equal(first.modelDir, ck, 'with a checkpoint folder the model goes there');
    assert.equal(first.psnr, plain.psnr, 'the folder does not change the run');
    const retry = await runNerf(p, ctx(ck));
    assert.equal(retry.resumed, true);
    assert.equal(retry.psnr, first.psnr);
  });
});
