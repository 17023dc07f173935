import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose, maxRelErr } from '../../../../test/helpers';
import { Rng } from '../../../engine/rng';
import { Feedback, type Method } from '../../../feedback';
import { encodedWidth, positionalEncodingArray } from './encoding';
import { NeRF, type NerfConfig } from './nerf';
import { getRays } from './rays';
import { mse, volumeRender } from './render';
import { samplePositions, stratifiedSamples } from './sampling';

const scene = { near: 2, far: 6, whiteBackground: true };
const pose = [1, 0, 0, 0.1, 0, 0, -1, -4, 0, 1, 0, 0.2]; // looking along +y from y = -4
const TINY: NerfConfig = { posFreqs: 2, dirFreqs: 1, useViewdirs: false, depth: 3, width: 16, skips: [], nSamples: 8, nImportance: 0 };
const SMALL_FULL: NerfConfig = { posFreqs: 2, dirFreqs: 1, useViewdirs: true, depth: 3, width: 16, skips: [1], nSamples: 8, nImportance: 8 };

/** The Feedback the NeRF task builds: both networks' named outputs, maxWidth = width, outDim 4. */
const feedback = (method: Method, seed: number, cfg: NerfConfig) => new Feedback({ method, rng: new Rng(seed), maxWidth: cfg.width, outDim: 4 });

function lossGrads(model: NeRF, fb: Feedback, which: 'sum' | 'coarse', noise = 0, rngSeed = 4) {
  const rays = getRays(6, 6, 5, pose, [1, 9, 17, 25]);
  const target = new Rng(2).uniformArray(rays.n * 3);
  return fb.grads(() => {
    const r = model.trainingLoss(fb, rays, target, scene, new Rng(rngSeed), noise);
    return which === 'sum' ? r.loss : r.mseCoarse;
  }, model.variables);
}

test('NerfMLP: weights drawn as nerf-pytorch (W, b, then the skip input\'s Wx from the same stream, fan-in of the concatenation)', () => {
  const model = new NeRF(SMALL_FULL, 7);
  const rng = new Rng(7).fork('nerf-init').fork('coarse');
  const inCh = encodedWidth(3, 2);
  const draw = (n: number, fanIn: number) => Array.from(rng.uniformArray(n, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn)));
  const values = (v: tf.Tensor) => Array.from(v.dataSync());
  const [l0, l1, l2] = model.coarse.trunk;
  assert.deepEqual(values(l0!.main.W), draw(inCh * 16, inCh));
  assert.deepEqual(values(l0!.main.b!), draw(16, inCh));
  draw(16 * 16, 16); // layer 1: W
  draw(16, 16); // b
  // layer 2 follows the skip after layer 1: [h, x]·[W; Wx], fan-in 16 + inCh
  assert.equal(l1!.extra, undefined);
  assert.deepEqual(values(l2!.main.W), draw(16 * 16, 16 + inCh));
  assert.deepEqual(values(l2!.main.b!), draw(16, 16 + inCh));
  assert.deepEqual(values(l2!.extra!.W), draw(inCh * 16, 16 + inCh));
  assert.equal(l2!.extra!.b, undefined);
  // the density logit's bias starts at 0.1 (see mlp.ts)
  assert.ok(Math.abs(model.coarse.alpha!.main.b!.dataSync()[0]! - 0.1) < 1e-7);
  model.dispose();
});

test('DFA on Tiny-NeRF: each hidden layer gets (e·B/√F ⊙ relu′) with e = dL/d(raw) through the renderer; the top layer gets BP', () => {
  const model = new NeRF(TINY, 3);
  const fb = feedback('dfa', 5, TINY);
  const rays = getRays(6, 6, 5, pose, [0, 7, 14, 21, 28, 35]);
  const target = new Rng(9).uniformArray(rays.n * 3);
  const rng = new Rng(1);
  const { grads, value } = fb.grads(() => model.trainingLoss(fb, rays, target, scene, rng).loss, model.variables);
  assert.deepEqual(fb.pointNames, ['coarse/h1', 'coarse/h2', 'coarse/h3']);
  const B = fb.feedbackMatrixOf('coarse')!;
  assert.deepEqual(B.shape, [4, 16]);

  // Reference, written out: same depths, plain forward, e from tf.grad of the rendered loss.
  const z = stratifiedSamples(rays.n, 8, 2, 6, rng.fork('strat'));
  const pts = samplePositions(rays, z);
  const x = tf.tensor2d(positionalEncodingArray(pts, 3, 2), [z.length, encodedWidth(3, 2)]);
  const L = model.coarse.trunk.map((l) => l.main);
  const a: tf.Tensor2D[] = [];
  const h: tf.Tensor2D[] = [x];
  for (const l of L) {
    a.push(tf.add(tf.matMul(h[h.length - 1]!, l.W), l.b!) as tf.Tensor2D);
    h.push(tf.relu(a[a.length - 1]!) as tf.Tensor2D);
  }
  const out = model.coarse.out!.main;
  const raw = tf.add(tf.matMul(h[3]!, out.W), out.b!) as tf.Tensor2D;
  const tgt = tf.tensor2d(target, [rays.n, 3]);
  const lossRef = mse(volumeRender(raw, z, rays.dirs, rays.n, scene).rgb, tgt);
  assertClose(value, lossRef, 1e-6, 'loss');
  const e = tf.grad((r: tf.Tensor) => mse(volumeRender(r as tf.Tensor2D, z, rays.dirs, rays.n, scene).rgb, tgt))(raw) as tf.Tensor2D;
  const signal = tf.div(tf.matMul(e, B), Math.sqrt(16));
  L.forEach((l, i) => {
    const delta = tf.mul(signal, tf.step(a[i]!));
    assert.ok(maxRelErr(grads.get(l.W)!, tf.matMul(h[i]!, delta, true, false)) < 1e-4, `layer ${i + 1} W`);
    assert.ok(maxRelErr(grads.get(l.b!)!, tf.sum(delta, 0)) < 1e-4, `layer ${i + 1} b`);
  });
  assert.ok(maxRelErr(grads.get(out.W)!, tf.matMul(h[3]!, e, true, false)) < 1e-4, 'output W (true gradient)');
  fb.dispose();
  model.dispose();
});

test('NeRF (coarse + fine, skip, view head) in one Feedback pass: DFA reaches every layer of both nets; shallow only the two output layers', () => {
  for (const method of ['dfa', 'shallow', 'bp', 'fa'] as const) {
    const model = new NeRF(SMALL_FULL, 1);
    const fb = feedback(method, 0, SMALL_FULL);
    const r = lossGrads(model, fb, 'sum', 1);
    assert.ok(Number.isFinite(r.value.dataSync()[0]!));
    const named = Object.entries(model.namedVariables());
    const trained = new Set(named.filter(([, v]) => r.grads.has(v)).map(([n]) => n.replace(/\.[Wb]$/, '')));
    if (method === 'shallow') assert.deepEqual([...trained].sort(), ['coarse/alpha', 'coarse/rgb', 'fine/alpha', 'fine/rgb']);
    else assert.equal(r.grads.size, named.length, `${method}: every variable gets a gradient`);
    if (method === 'dfa') {
      assert.deepEqual(fb.pointNames, ['coarse/h1', 'coarse/h2', 'coarse/h3', 'coarse/feature', 'coarse/views', 'fine/h1', 'fine/h2', 'fine/h3', 'fine/feature', 'fine/views']);
      // Each network's output has its own matrix: the stream each network's own Feedback drew it from before
      // (new Rng(seed).fork(label)), so earlier runs keep their matrices.
      for (const head of ['coarse', 'fine']) {
        const alone = new Feedback({ method: 'dfa', rng: new Rng(0).fork(head), maxWidth: 16, outDim: 4 });
        assert.deepEqual(Array.from(fb.feedbackMatrixOf(head)!.dataSync()), Array.from(alone.feedbackMatrix!.dataSync()), head);
        alone.dispose();
      }
      assert.notDeepEqual(Array.from(fb.feedbackMatrixOf('coarse')!.dataSync()), Array.from(fb.feedbackMatrixOf('fine')!.dataSync()));
    }
    tf.dispose([r.value, ...r.grads.values()]);
    fb.dispose();
    model.dispose();
  }
});

test('the fine depths are data: each network gets only its own loss\'s gradient (coarse: the same from MSE_coarse alone)', () => {
  for (const method of ['bp', 'dfa'] as const) {
    const model = new NeRF(SMALL_FULL, 2);
    const fb = feedback(method, 3, SMALL_FULL);
    const both = lossGrads(model, fb, 'sum');
    const coarseOnly = lossGrads(model, fb, 'coarse');
    for (const v of model.coarse.variables) assertClose(both.grads.get(v)!, coarseOnly.grads.get(v)!, 1e-6, `${method} coarse ${v.name}`);
    // from MSE_coarse alone the fine network gets nothing (its error is 0)
    const fineW = model.fine!.trunk[0]!.main.W;
    assert.ok(both.grads.get(fineW)!.abs().max().dataSync()[0]! > 0, `${method}: the fine loss trains the fine net`);
    assert.ok(!coarseOnly.grads.has(fineW) || coarseOnly.grads.get(fineW)!.abs().max().dataSync()[0] === 0, `${method}: the coarse loss does not reach the fine net`);
    for (const r of [both, coarseOnly]) tf.dispose([r.value, ...r.grads.values()]);
    fb.dispose();
    model.dispose();
  }
});

test('FA through the Feedback: hidden layers (the skip and view inputs\' layers included) get feedback-matrix gradients, the output layers the true ones', () => {
  const model = new NeRF(SMALL_FULL, 4);
  const bp = lossGrads(model, feedback('bp', 0, SMALL_FULL), 'sum');
  const fbFa = feedback('fa', 0, SMALL_FULL);
  const fa = lossGrads(model, fbFa, 'sum');
  for (const l of model.coarse.outputLayers) assertClose(fa.grads.get(l.main.W)!, bp.grads.get(l.main.W)!, 1e-5, `${l.main.name} (true gradient)`);
  const hidden = model.coarse.trunk[0]!.main.W;
  assert.ok(maxRelErr(fa.grads.get(hidden)!, bp.grads.get(hidden)!) > 1e-2, 'the first layer learns through B, not Wᵀ');
  for (const name of ['coarse/pts2', 'coarse/pts2/x', 'coarse/views/x', 'fine/pts2/x']) assert.ok(fbFa.faMatrixOf(name), `FA treats ${name}`);
  for (const r of [bp, fa]) tf.dispose([r.value, ...r.grads.values()]);
  fbFa.dispose();
  model.dispose();
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
