import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { sharedDataDir } from '../../../data/paths';
import { loadBlender } from '../data/blender';
import { evaluateNerf, trainNerf } from '../train';
import { encodedWidth, positionalEncodingArray } from './encoding';
import { NeRF, nerfFeedback, type NerfConfig } from './nerf';
import { getRays } from './rays';
import { mse, volumeRender } from './render';
import { samplePoints, stratifiedSamples } from './sampling';

const scene = { near: 2, far: 6, whiteBackground: true };
const pose = [1, 0, 0, 0.1, 0, 0, -1, -4, 0, 1, 0, 0.2]; // looking along +y from y = -4
const TINY: NerfConfig = { posFreqs: 2, dirFreqs: 1, useViewdirs: false, depth: 3, width: 16, skips: [], nSamples: 8, nImportance: 0 };
const SMALL_FULL: NerfConfig = { posFreqs: 2, dirFreqs: 1, useViewdirs: true, depth: 3, width: 16, skips: [1], nSamples: 8, nImportance: 8 };

function maxRelErr(a: tf.Tensor, b: tf.Tensor): number {
  const x = a.dataSync(), y = b.dataSync();
  let e = 0, m = 0;
  for (let i = 0; i < x.length; i++) {
    e = Math.max(e, Math.abs(x[i]! - y[i]!));
    m = Math.max(m, Math.abs(y[i]!));
  }
  assert.ok(m > 0, 'reference gradient is all zero');
  return e / m;
}

test('DFA on Tiny-NeRF: each hidden layer gets (e·B/√F ⊙ relu′) with e = dL/d(raw) through the renderer; the top layer gets BP', () => {
  const model = new NeRF(TINY, 3);
  const fb = nerfFeedback('dfa', 5, model);
  const rays = getRays(6, 6, 5, pose, [0, 7, 14, 21, 28, 35]);
  const target = new Rng(9).uniformArray(rays.n * 3);
  const rng = new Rng(1);
  const { grads } = model.computeGrads(rays, target, scene, fb, rng);
  assert.deepEqual(fb.coarse.pointNames, ['coarse/h1', 'coarse/h2', 'coarse/h3']);
  const B = fb.coarse.feedbackMatrix!;
  assert.deepEqual(B.shape, [4, 16]);

  // Reference, written out: same depths, plain forward, e from tf.grad of the rendered loss.
  const z = stratifiedSamples(rays.n, 8, 2, 6, rng.fork('strat'));
  const { pts } = samplePoints(rays, z);
  const P = z.length;
  const x = tf.tensor2d(positionalEncodingArray(pts, 3, 2), [P, encodedWidth(3, 2)]);
  const L = model.coarse.trunk;
  const a: tf.Tensor2D[] = [];
  const h: tf.Tensor2D[] = [x];
  for (const l of L) {
    a.push(tf.add(tf.matMul(h[h.length - 1]!, l.W), l.b) as tf.Tensor2D);
    h.push(tf.relu(a[a.length - 1]!) as tf.Tensor2D);
  }
  const raw = tf.add(tf.matMul(h[3]!, model.coarse.out!.W), model.coarse.out!.b) as tf.Tensor2D;
  const tgt = tf.tensor2d(target, [rays.n, 3]);
  const e = tf.grad((r: tf.Tensor) => mse(volumeRender(r as tf.Tensor2D, z, rays.dirs, rays.n, scene).rgb, tgt))(raw) as tf.Tensor2D;
  const signal = tf.div(tf.matMul(e, B), Math.sqrt(16));
  L.forEach((l, i) => {
    const delta = tf.mul(signal, tf.step(a[i]!));
    assert.ok(maxRelErr(grads.get(l.W)!, tf.matMul(h[i]!, delta, true, false)) < 1e-4, `layer ${i + 1} W`);
    assert.ok(maxRelErr(grads.get(l.b)!, tf.sum(delta, 0)) < 1e-4, `layer ${i + 1} b`);
  });
  assert.ok(maxRelErr(grads.get(model.coarse.out!.W)!, tf.matMul(h[3]!, e, true, false)) < 1e-4, 'output W (true gradient)');
  fb.coarse.dispose();
  model.dispose();
});

test('NeRF (coarse + fine, skip, view head): DFA reaches every layer of both nets; shallow only the two output layers', () => {
  const rays = getRays(6, 6, 5, pose, [1, 9, 17, 25]);
  const target = new Rng(2).uniformArray(rays.n * 3);
  for (const method of ['dfa', 'shallow', 'bp'] as const) {
    const model = new NeRF(SMALL_FULL, 1);
    const fb = nerfFeedback(method, 0, model);
    const r = model.computeGrads(rays, target, scene, fb, new Rng(4), 1);
    assert.ok(r.mseFine !== null && Number.isFinite(r.mseFine));
    const trained = model.variables.filter((v) => r.grads.has(v)).map((v) => v.name.split('/')[1] + '/' + v.name.split('/')[2]!.replace(/_\d+$/, ''));
    const names = new Set(trained);
    if (method === 'shallow') assert.deepEqual([...names].sort(), ['coarse/alpha', 'coarse/rgb', 'fine/alpha', 'fine/rgb']);
    else assert.equal(r.grads.size, model.variables.length, `${method}: every variable gets a gradient`);
    if (method === 'dfa') {
      assert.deepEqual(fb.fine!.pointNames, ['fine/h1', 'fine/h2', 'fine/h3', 'fine/feature', 'fine/views']);
      // Each network has its own feedback matrix.
      const bc = fb.coarse.feedbackMatrix!.dataSync(), bf = fb.fine!.feedbackMatrix!.dataSync();
      assert.notDeepEqual(Array.from(bc.slice(0, 8)), Array.from(bf.slice(0, 8)));
    }
    tf.dispose([...r.grads.values()]);
    fb.coarse.dispose();
    fb.fine?.dispose();
    model.dispose();
  }
});

test('render: chunked evaluation gives the same image as one chunk; NeRF-Dual is the mean of fine and coarse-at-fine', () => {
  const model = new NeRF(SMALL_FULL, 2);
  const rays = getRays(5, 5, 4, pose);
  const one = model.render(rays, scene, { chunk: 1e6, dual: true });
  const many = model.render(rays, scene, { chunk: 16 * 3, dual: true }); // 3 rays per chunk
  for (let i = 0; i < one.rgb.length; i++) {
    assert.ok(Math.abs(one.rgb[i]! - many.rgb[i]!) < 1e-5);
    assert.ok(Math.abs(one.rgbDual![i]! - many.rgbDual![i]!) < 1e-5);
  }
  assert.ok(one.rgbDual!.some((v, i) => Math.abs(v - one.rgb[i]!) > 1e-6), 'dual differs from fine');
  model.dispose();
});

const lego = join(sharedDataDir(), 'nerf/lego_200');
test('Tiny-NeRF learns lego (BP): held-out PSNR beats the empty (all-white) scene, training PSNR climbs', { skip: !existsSync(lego) && 'no shared lego' }, () => {
  const sc = loadBlender(lego, { factor: 8, splits: ['train', 'test'], maxPerSplit: { train: 20, test: 1 } });
  const cfg: NerfConfig = { posFreqs: 6, dirFreqs: 0, useViewdirs: false, depth: 2, width: 32, skips: [], nSamples: 16, nImportance: 0 };
  const model = new NeRF(cfg, 0);
  const r = trainNerf(model, sc, { method: 'bp', iters: 60, batchRays: 96, lr: 1e-2, seed: 0 });
  const after = evaluateNerf(model, sc, sc.test).psnr;
  const img = sc.test[0]!.image;
  const white = -10 * Math.log10(img.reduce((a, x) => a + (1 - x) ** 2, 0) / img.length);
  const first = -10 * Math.log10(r.losses.slice(0, 5).reduce((a, b) => a + b, 0) / 5);
  assert.ok(after > white + 1.5, `test PSNR ${after.toFixed(2)} vs all-white ${white.toFixed(2)}`);
  assert.ok(r.trainPsnr > first + 3, `train PSNR ${first.toFixed(2)} → ${r.trainPsnr.toFixed(2)}`);
  model.dispose();
});
