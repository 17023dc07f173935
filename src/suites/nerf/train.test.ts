import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { withTempDir } from '../../../test/helpers';
import { Rng } from '../../engine/rng';
import { sharedDataDir } from '../../data/paths';
import { FileCheckpointStore } from '../../train/checkpoint_fs';
import { loadBlender } from './data/blender';
import type { NerfScene } from './data/scene';
import { evaluateNerf } from './evaluate';
import { NeRF, type NerfConfig } from './models/nerf';
import { getRays } from './models/rays';
import { NerfTask } from './task';
import { trainNerf } from './train';
import { loadTrainedNerf } from './trained';

const CFG: NerfConfig = { posFreqs: 2, dirFreqs: 1, useViewdirs: true, depth: 2, width: 8, skips: [0], nSamples: 4, nImportance: 4 };
const pose = (y: number) => new Float64Array([1, 0, 0, 0.1, 0, 0, -1, y, 0, 1, 0, 0.2]);

/** A 4×4 Blender-like scene with random images (no data folder needed). */
function tinyScene(): NerfScene {
  const rng = new Rng(11);
  const view = (i: number) => ({ image: rng.uniformArray(4 * 4 * 3), pose: pose(-4 - 0.1 * i), name: `v${i}` });
  return {
    kind: 'blender', H: 4, W: 4, focal: 4, near: 2, far: 6, ndc: false, whiteBackground: true,
    train: [view(0), view(1), view(2)], val: [], test: [view(3)], renderPoses: [pose(-4), pose(-4.5)],
  };
}

const weights = (m: NeRF) => Object.fromEntries(Object.entries(m.namedVariables()).map(([n, v]) => [n, Array.from(v.dataSync())]));

test('the ray stream: step s draws from Rng(seed).fork(train).fork(step s) whatever the epoch length; training ends the same', async () => {
  const scene = tinyScene();
  const task = new NerfTask(new NeRF(CFG, 0), scene, { seed: 5, batchRays: 6, precropIters: 1 });
  const it = task.batches()[Symbol.iterator]();
  const first = it.next().value!;
  const second = it.next().value!;
  assert.deepEqual(Array.from(first.rng.uniformArray(4)), Array.from(new Rng(5).fork('train').fork('step0').uniformArray(4)));
  assert.deepEqual(Array.from(second.rng.uniformArray(4)), Array.from(new Rng(5).fork('train').fork('step1').uniformArray(4)));
  assert.deepEqual(task.getState(), { nextStep: 2 });
  task.model.dispose();

  const run = async (epochSteps: number) => {
    const before = tf.memory().numTensors;
    const m = new NeRF(CFG, 1);
    const r = await trainNerf(m, scene, { method: 'dfa', iters: 4, epochSteps, batchRays: 6, lr: 1e-2, seed: 1, precropIters: 2 });
    const w = weights(m);
    m.dispose();
    assert.equal(tf.memory().numTensors, before, 'training leaves no tensors behind');
    return { r, w };
  };
  const one = await run(4);
  const four = await run(1);
  assert.deepEqual(four.w, one.w);
  assert.deepEqual(four.r.losses, one.r.losses);
  assert.equal(one.r.losses.length, 4);
  await assert.rejects(run(3), /must divide/);
});

test('a trained run saved through the core checkpoint store: loadTrainedNerf renders the same pixels, with its camera and path', async () => {
  await withTempDir(async (dir) => {
    const scene = tinyScene();
    const model = new NeRF(CFG, 4);
    const run = join(dir, 'lego-dfa-seed4');
    const steps: number[] = [];
    await trainNerf(model, scene, { method: 'dfa', iters: 3, batchRays: 8, lr: 5e-3, seed: 4, sceneName: 'lego', store: new FileCheckpointStore(run), onStep: (k, i) => (assert.ok(i.psnr > 0), steps.push(k)) });
    assert.deepEqual(steps, [1, 2, 3]);
    assert.ok(existsSync(join(run, 'checkpoint.json')));
    for (const p of [run, join(run, 'checkpoint.json')]) {
      const t = loadTrainedNerf(p);
      assert.equal(t.method, 'dfa');
      assert.equal(t.scene, 'lego');
      assert.equal(t.step, 3);
      assert.deepEqual(t.camera, { H: 4, W: 4, focal: 4, near: 2, far: 6, ndc: false, whiteBackground: true });
      assert.deepEqual(t.renderPoses.map((q) => Array.from(q)), scene.renderPoses.map((q) => Array.from(q)));
      const rays = getRays(4, 4, 4, t.renderPoses[1]!);
      assert.deepEqual(Array.from(t.model.render(rays, t.camera).rgb), Array.from(model.render(rays, scene).rgb));
      t.model.dispose();
    }
    assert.throws(() => loadTrainedNerf(join(dir, 'missing')), /no trained NeRF in .*missing/);
    assert.throws(() => loadTrainedNerf(dir), /no trained NeRF/);
    model.dispose();
  }, 'nerf-run-');
});

test('NerfTask.evaluate: PSNR of the rendered test views (the metric), their MSE (the loss)', () => {
  const scene = tinyScene();
  const model = new NeRF(CFG, 2);
  const task = new NerfTask(model, scene, { seed: 0, batchRays: 4 });
  const ev = task.evaluate('test');
  const r = model.render(getRays(4, 4, 4, scene.test[0]!.pose), scene).rgb;
  const mse = r.reduce((a, x, i) => a + (x - scene.test[0]!.image[i]!) ** 2, 0) / r.length;
  assert.ok(Math.abs(ev.loss - mse) < 1e-9);
  assert.ok(Math.abs(ev.metric - -10 * Math.log10(mse)) < 1e-9);
  assert.throws(() => task.evaluate('val'), /no val views/);
  model.dispose();
});

const lego = join(sharedDataDir(), 'nerf/lego_200');
test('Tiny-NeRF learns lego (BP, core loop): held-out PSNR beats the empty (all-white) scene, training PSNR climbs', { skip: !existsSync(lego) && 'no shared lego' }, async () => {
  const sc = loadBlender(lego, { factor: 8, splits: ['train', 'test'], maxPerSplit: { train: 20, test: 1 } });
  const cfg: NerfConfig = { posFreqs: 6, dirFreqs: 0, useViewdirs: false, depth: 2, width: 32, skips: [], nSamples: 16, nImportance: 0 };
  const model = new NeRF(cfg, 0);
  const r = await trainNerf(model, sc, { method: 'bp', iters: 60, batchRays: 96, lr: 1e-2, seed: 0 });
  const after = evaluateNerf(model, sc, sc.test).psnr;
  const img = sc.test[0]!.image;
  const white = -10 * Math.log10(img.reduce((a, x) => a + (1 - x) ** 2, 0) / img.length);
  const first = -10 * Math.log10(r.losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5);
  assert.ok(after > white + 1.5, `test PSNR ${after.toFixed(2)} vs all-white ${white.toFixed(2)}`);
  assert.ok(r.trainPsnr > first + 3, `train PSNR ${first.toFixed(2)} → ${r.trainPsnr.toFixed(2)}`);
  model.dispose();
});
