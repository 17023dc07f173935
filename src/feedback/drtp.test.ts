import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose } from '../../test/helpers';
import { softmaxCrossEntropy } from '../metrics/losses';
import { Feedback } from './index';
import { cols, directGrads64, lossFn, makeNet, mat, type M, mm, type Net, scaled, vars } from './test_net';

/** −onehot(y)/N as float64 rows: what drtp projects. */
function minusTarget(net: Net): M {
  const y = net.y.dataSync();
  const N = y.length, C = net.dims[net.dims.length - 1]!;
  const d = new Float64Array(N * C);
  y.forEach((c, r) => (d[r * C + c] = -1 / N));
  return { r: N, c: C, d };
}

test('drtp: hidden grads equal ((−y/N) · B_i · s ⊙ tanh′) h_{i−1}ᵀ, the output layer gets its true gradient', () => {
  const net = makeNet([5, 16, 8, 3], 7, 31);
  const fb = new Feedback({ method: 'drtp', seed: 3 });
  const { value, grads } = fb.grads(lossFn(fb, net, { target: true }), vars(net));
  const B = mat(fb.feedbackMatrix!);
  assert.deepEqual([B.r, B.c], [3, 16]);
  const ref = directGrads64(net, [16, 8].map((w) => scaled(mm(minusTarget(net), cols(B, w)), 1 / 4)));
  net.Ws.forEach((W, l) => assertClose(grads.get(W)!, ref.dW[l]!, 1e-5, `dW${l + 1}`));
  net.bs.forEach((b, l) => assertClose(grads.get(b)!, ref.db[l]!, 1e-5, `db${l + 1}`));
  tf.dispose([value, ...grads.values()]);
});

test('drtp ignores the error: a different output layer changes dfa\'s hidden grads, not drtp\'s', () => {
  const net = makeNet([5, 16, 8, 3], 7, 32);
  const hidden = (method: 'dfa' | 'drtp') => {
    const fb = new Feedback({ method, seed: 3 });
    const { value, grads } = fb.grads(lossFn(fb, net, { target: true }), vars(net));
    const out = [0, 1].map((l) => Array.from(grads.get(net.Ws[l]!)!.dataSync()));
    tf.dispose([value, ...grads.values()]);
    return out;
  };
  const before = { dfa: hidden('dfa'), drtp: hidden('drtp') };
  net.Ws[2]!.assign(tf.tidy(() => tf.mul(net.Ws[2]!, -3)));
  assert.deepEqual(hidden('drtp'), before.drtp);
  assert.notDeepEqual(hidden('dfa'), before.dfa);
});

test('drtp targets: class indices (made one-hot), a one-hot float target, fb.target or output(…, { target }) give the same grads', () => {
  const net = makeNet([5, 16, 3], 6, 33);
  const run = (f: (fb: Feedback) => () => tf.Scalar) => {
    const fb = new Feedback({ method: 'drtp', seed: 1 });
    const { value, grads } = fb.grads(f(fb), vars(net));
    const g = Array.from(grads.get(net.Ws[0]!)!.dataSync());
    tf.dispose([value, ...grads.values()]);
    return g;
  };
  const viaTarget = run((fb) => lossFn(fb, net, { target: true }));
  const viaOutput = run((fb) => () => {
    fb.target(tf.oneHot(net.y, 3).toFloat()); // before the output: also fine
    const h = fb.point(tf.tanh(fb.dense(net.x, net.Ws[0]!, net.bs[0]!)));
    return softmaxCrossEntropy(fb.output(fb.dense(h, net.Ws[1]!, net.bs[1]!)), net.y);
  });
  const viaOption = run((fb) => () => {
    const h = fb.point(tf.tanh(fb.dense(net.x, net.Ws[0]!, net.bs[0]!)));
    return softmaxCrossEntropy(fb.output(fb.dense(h, net.Ws[1]!, net.bs[1]!), '', { target: net.y }), net.y);
  });
  assert.deepEqual(viaOutput, viaTarget);
  assert.deepEqual(viaOption, viaTarget);
});

test('drtp: a forward that passes no target, or a misshapen one, gets an error naming the problem', () => {
  const net = makeNet([5, 16, 3], 6, 34);
  const fb = new Feedback({ method: 'drtp' });
  assert.throws(() => fb.grads(lossFn(fb, net), vars(net)), /drtp projects the target, not the error, but output got no target in this forward: pass it with fb\.target\(y\)/);
  assert.throws(() => fb.grads(() => {
    fb.target(tf.zeros([6, 4]));
    return lossFn(fb, net)();
  }, vars(net)), /drtp: the target of output has shape \[6,4\] \(float32\); expected class indices \[6\] \(int32\) or a float tensor shaped like the output \[6,3\]/);
  assert.throws(() => fb.grads(() => {
    fb.target(net.y);
    return lossFn(fb, net, { target: true })();
  }, vars(net)), /target of output was given twice/);
  // usable afterwards, and alignment needs the target too
  const { value, grads } = fb.grads(lossFn(fb, net, { target: true }), vars(net));
  tf.dispose([value, ...grads.values()]);
  return assert.rejects(fb.alignment(lossFn(fb, net), vars(net)), /drtp projects the target/);
});

test('drtp alignment: the delivered signal is (−y/N) · B_i · s, measured against BP\'s gradient; other methods ignore targets', async () => {
  const net = makeNet([6, 20, 4], 16, 35);
  const fb = new Feedback({ method: 'drtp', seed: 2 });
  const seen: Record<string, number[]> = {};
  const al = await fb.alignment(lossFn(fb, net, { target: true }), vars(net), { inspect: (name, d) => (seen[name] = Array.from(d.dataSync())) });
  assert.deepEqual(al.map((a) => a.name), ['h1']);
  assert.equal(al[0]!.n, 16);
  const B = mat(fb.feedbackMatrix!);
  assertClose(seen.h1!, scaled(mm(minusTarget(net), B), 1 / Math.sqrt(20)).d, 1e-5, 'delivered');
  assert.equal(fb.matrixAngles({ h1: [net.Ws[1]!] }).length, 1);
  // fb.target is a no-op for the other methods: dfa with and without it gives the same grads
  const g = (target: boolean) => {
    const d = new Feedback({ method: 'dfa', seed: 2 });
    const { value, grads } = d.grads(lossFn(d, net, { target }), vars(net));
    const out = Array.from(grads.get(net.Ws[0]!)!.dataSync());
    tf.dispose([value, ...grads.values()]);
    return out;
  };
  assert.deepEqual(g(true), g(false));
});
