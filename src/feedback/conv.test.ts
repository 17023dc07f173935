import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { softmaxCrossEntropy } from '../metrics/losses';
import { Conv2d } from '../nn/conv2d';
import { assertClose } from '../../test/helpers';
import { Feedback, type Method } from './index';

/**
 * A small CNN whose weight layers all go through the Feedback: conv1 (3x3, 1→4) → tanh → pool →
 * [point h1] → conv2 (3x3, 4→6, stride 2) → tanh → [point h2] → dense 'out' (fb.dense) → output.
 */
function cnn(seed: number) {
  const r = new Rng(seed);
  const c1 = new Conv2d({ inChannels: 1, outChannels: 4, kernelSize: 3, rng: r.fork('c1'), name: 'conv1', init: 'glorot' });
  const c2 = new Conv2d({ inChannels: 4, outChannels: 6, kernelSize: 3, stride: 2, rng: r.fork('c2'), name: 'conv2', init: 'glorot' });
  const Wo = tf.variable(tf.tensor2d(r.normalArray(2 * 2 * 6 * 5, 0, 0.3), [24, 5]));
  const bo = tf.variable(tf.zeros([5]));
  const x = tf.tensor4d(r.normalArray(6 * 8 * 8), [6, 8, 8, 1]);
  const y = tf.tensor1d(Int32Array.from({ length: 6 }, (_, i) => i % 5), 'int32');
  const loss = (fb: Feedback) => () => {
    let h: tf.Tensor = tf.maxPool(c1.apply(x, 'tanh', fb), 2, 2, 'valid');
    h = fb.point(h, 'h1');
    h = fb.point(c2.apply(h, 'tanh', fb), 'h2');
    const out = fb.output(fb.dense(tf.reshape(h, [6, 24]), Wo, bo, 'out'));
    fb.target(y);
    return softmaxCrossEntropy(out, y);
  };
  const vars = [...c1.variables, ...c2.variables, Wo, bo];
  const dispose = () => {
    c1.dispose();
    c2.dispose();
    tf.dispose([Wo, bo, x, y]);
  };
  return { c1, c2, Wo, loss, vars, dispose };
}

type Net = ReturnType<typeof cnn>;

function grads(fb: Feedback, net: Net): Float32Array[] {
  const { value, grads } = fb.grads(net.loss(fb), net.vars);
  const out = net.vars.map((v) => grads.get(v)!.dataSync() as Float32Array);
  tf.dispose([value, ...grads.values()]);
  return out;
}

/** An FA Feedback whose matrices are set to `kernels` (per layer name) — the reference for the sign-concordant methods. */
function faWith(net: Net, kernels: Record<string, tf.Tensor>): Feedback {
  const fa = new Feedback({ method: 'fa', seed: 1 });
  fa.setFaMatrix('conv1', kernels.conv1!, net.c1.W);
  fa.setFaMatrix('conv2', kernels.conv2!, net.c2.W);
  fa.setFaMatrix('out', kernels.out!, net.Wo);
  return fa;
}

test('fa through a convolution: dx = conv2d-backprop-input(dy, B), B a fixed kernel shaped like W; W and b get their true gradients', () => {
  const r = new Rng(3);
  const conv = new Conv2d({ inChannels: 2, outChannels: 3, kernelSize: [3, 2], stride: [2, 1], rng: r.fork('w'), name: 'c', init: 'glorot' });
  const x = tf.variable(tf.tensor4d(r.normalArray(2 * 7 * 5 * 2), [2, 7, 5, 2]));
  const R = tf.tensor4d(r.normalArray(2 * 4 * 5 * 3), [2, 4, 5, 3]);
  const fb = new Feedback({ method: 'fa', seed: 5 });
  const { value, grads } = fb.grads(() => tf.sum(tf.mul(conv.apply(x, 'linear', fb), R)) as tf.Scalar, [x, conv.W, conv.b!]);
  const B = fb.faMatrixOf('c')!;
  assert.deepEqual(B.shape, conv.W.shape, 'B is shaped like the kernel');
  const a = Math.sqrt(6 / (3 * 2 * 2 + 3 * 2 * 3)); // Glorot bound, fanIn = KH·KW·C_in, fanOut = KH·KW·C_out
  const bv = Array.from(B.dataSync());
  assert.ok(bv.every((v) => Math.abs(v) <= a) && Math.max(...bv.map(Math.abs)) > 0.8 * a, 'B ~ U(−a, a)');
  // tfjs's own autodiff of the same convolution with B in place of W, for x; with W, for W and b
  const withB = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xi as tf.Tensor4D, B as tf.Tensor4D, [2, 1], 'same'), R)) as tf.Scalar)(x);
  const ref = tf.variableGrads(() => tf.sum(tf.mul(tf.add(tf.conv2d(x as tf.Tensor4D, conv.W as tf.Tensor4D, [2, 1], 'same'), conv.b!), R)) as tf.Scalar, [conv.W, conv.b!]);
  assertClose(grads.get(x)!, withB, 1e-5, 'dx = conv2d-backprop-input(dy, B)');
  assertClose(grads.get(conv.W)!, ref.grads[conv.W.name]!, 1e-5, 'dW');
  assertClose(grads.get(conv.b!)!, ref.grads[conv.b!.name]!, 1e-5, 'db');
  assert.notDeepEqual(Array.from(grads.get(x)!.dataSync()), Array.from(tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xi as tf.Tensor4D, conv.W as tf.Tensor4D, [2, 1], 'same'), R)) as tf.Scalar)(x).dataSync()));
  tf.dispose([value, ...grads.values(), withB, ref.value, ...Object.values(ref.grads), x, R]);
  conv.dispose();
  fb.dispose();
});

test('fa with every kernel set to W (and the dense matrix to Wᵀ) equals bp exactly on a CNN', () => {
  const net = cnn(11);
  const bp = new Feedback({ method: 'bp' });
  const fa = faWith(net, { conv1: net.c1.W, conv2: net.c2.W, out: tf.transpose(net.Wo) });
  assert.deepEqual(grads(fa, net), grads(bp, net));
  // with its own random kernels FA differs below the top layer
  const fa2 = new Feedback({ method: 'fa', seed: 1 });
  const g = grads(fa2, net), b = grads(bp, net);
  assert.deepEqual(g[4], b[4], 'the output layer gets its true gradient');
  assert.notDeepEqual(g[0], b[0], "conv1's gradient comes through random kernels");
  for (const f of [bp, fa, fa2]) f.dispose();
  net.dispose();
});

test("usf, frsf, brsf through convolutions: the kernel is sign(W) scaled (usf), |R| ⊙ sign(W) with |R| fixed (frsf) or redrawn per batch (brsf); the gradients are FA's with that kernel", () => {
  const net = cnn(12);
  const fanSum = (W: tf.Tensor) => (W.rank === 4 ? W.shape[0]! * W.shape[1]! * (W.shape[2]! + W.shape[3]!) : W.shape[0]! + W.shape[1]!);
  const layers: Array<[string, tf.Variable]> = [['conv1', net.c1.W], ['conv2', net.c2.W], ['out', net.Wo]];
  const signs = (t: tf.Tensor) => Array.from(t.dataSync(), Math.sign);
  const inLayout = (W: tf.Tensor) => tf.tidy(() => (W.rank === 2 ? tf.transpose(W) : W.clone()));
  const draws: Record<string, number[][]> = {};
  for (const method of ['usf', 'frsf', 'brsf'] as const) {
    const fb = new Feedback({ method, seed: 2 });
    for (let step = 0; step < 2; step++) {
      const g = grads(fb, net);
      const B = Object.fromEntries(layers.map(([n]) => [n, fb.layerFeedbackOf(n)!]));
      const ref = faWith(net, B);
      assert.deepEqual(g, grads(ref, net), `${method} step ${step}: FA with the reported kernels`);
      for (const [n, W] of layers) {
        const b = B[n]!;
        const w = inLayout(W);
        assert.deepEqual(b.shape, w.shape, `${method} ${n}: B in W's layout (dense: Wᵀ)`);
        assert.deepEqual(signs(b), signs(w), `${method} ${n}: sign(B) = sign(W)`);
        const a = Math.sqrt(6 / fanSum(W));
        const mags = Array.from(b.dataSync(), Math.abs);
        if (method === 'usf') for (const m of mags) assert.ok(Math.abs(m - a / Math.sqrt(3)) < 1e-7, `usf ${n}: |B| = ${m}, expected ${a / Math.sqrt(3)}`);
        else assert.ok(mags.every((m) => m <= a), `${method} ${n}: |B| ≤ a`);
        (draws[`${method}/${n}`] ??= []).push(mags);
        w.dispose();
      }
      ref.dispose();
      tf.dispose(Object.values(B));
      // a step that flips signs: the signs follow W, frsf's magnitudes stay
      for (const [, W] of layers) W.assign(tf.tidy(() => tf.add(tf.neg(W), tf.mul(0.01, tf.randomNormal(W.shape, 0, 1, 'float32', 3)))));
    }
    fb.dispose();
  }
  for (const [n] of layers) {
    assert.deepEqual(draws[`frsf/${n}`]![0], draws[`frsf/${n}`]![1], `frsf ${n}: magnitudes fixed across steps`);
    assert.notDeepEqual(draws[`brsf/${n}`]![0], draws[`brsf/${n}`]![1], `brsf ${n}: magnitudes redrawn per batch`);
  }
  net.dispose();
});

test('layer-wise alignment and angles on a CNN: every conv and dense layer named; usf\'s conv angle is acos(E|w| / rms(w)); fa\'s is near 90°', async () => {
  const net = cnn(13);
  for (const method of ['usf', 'fa'] as const) {
    const fb = new Feedback({ method, seed: 1 });
    grads(fb, net); // one training step: the layers are seen
    const al = await fb.alignment(net.loss(fb), net.vars);
    assert.deepEqual(al.map((a) => a.name), ['h1', 'h2']);
    if (method === 'usf') assert.ok(al[1]!.mean > 0.5, `usf: the last point receives one sign-concordant layer: ${JSON.stringify(al)}`);
    const angles = fb.matrixAngles();
    assert.deepEqual(angles.map((a) => a.name), ['conv1', 'conv2', 'out']);
    for (const [a, W] of [[angles[0]!, net.c1.W], [angles[1]!, net.c2.W]] as const) {
      const w = Array.from(W.dataSync());
      const l1 = w.reduce((s, v) => s + Math.abs(v), 0);
      const l2 = Math.sqrt(w.reduce((s, v) => s + v * v, 0));
      const usf = (Math.acos(l1 / (Math.sqrt(w.length) * l2)) * 180) / Math.PI;
      if (method === 'usf') assert.ok(Math.abs(a.degrees - usf) < 0.01, `usf ${a.name}: ${a.degrees} vs ${usf}`);
      else assert.ok(a.degrees > 60 && a.degrees < 120, `fa ${a.name}: ${a.degrees}°`);
    }
    fb.dispose();
  }
  net.dispose();
});

test('conv feedback state: fa and frsf kernels survive getState/setState; clear errors for misshapen kernels and inputs', () => {
  const net = cnn(14);
  for (const method of ['fa', 'frsf'] as const) {
    const fb = new Feedback({ method, seed: 3 });
    grads(fb, net);
    const st = fb.getState();
    assert.deepEqual(st.fa.conv2!.shape, net.c2.W.shape);
    const restored = new Feedback({ method, seed: 99 });
    restored.setState(st);
    assert.deepEqual(grads(restored, net), grads(fb, net), `${method}: restored kernels give the same gradients`);
    for (const f of [fb, restored]) f.dispose();
  }
  const fa = new Feedback({ method: 'fa' });
  assert.throws(() => fa.setFaMatrix('conv1', tf.zeros([3, 3, 4, 1]), net.c1.W), /FA matrix for 'conv1' must be shaped like W \[KH, KW, C_in, C_out\] \[3,3,1,4\], got \[3,3,4,1\]/);
  const bad = () => fa.grads(() => tf.sum(fa.conv2d(tf.zeros([1, 4, 4, 2]), net.c1.W, net.c1.b, {}, 'c')) as tf.Scalar, net.vars);
  assert.throws(bad, /conv2d 'c': input has shape \[1,4,4,2\] but W is \[3,3,1,4\]; the input must be \[N, H, W, 1\] \(NHWC\)/);
  fa.dispose();
  net.dispose();
});

async function backpropInputs(method: Method, net: Net): Promise<number> {
  const fb = new Feedback({ method, seed: 1 });
  const prof = await tf.profile(() => {
    const r = fb.grads(net.loss(fb), net.vars);
    tf.dispose([r.value, ...r.grads.values()]);
  });
  fb.dispose();
  return prof.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
}

test('input-gradient convolutions per method: one (conv2\'s) for bp and the layer-wise methods, none across DFA or DRTP points', async () => {
  const net = cnn(15);
  for (const m of ['bp', 'fa', 'usf', 'brsf', 'frsf'] as const) assert.equal(await backpropInputs(m, net), 1, m);
  for (const m of ['dfa', 'drtp', 'shallow'] as const) assert.equal(await backpropInputs(m, net), 0, m);
  net.dispose();
});
