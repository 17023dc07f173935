import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { Feedback, type Method } from '../feedback';
import { softmaxCrossEntropy } from '../metrics/losses';
import { assertClose, fdCheck } from '../../test/helpers';
import { Conv2d } from './conv2d';
import { Linear } from './linear';

test('Conv2d: seeded weights, NHWC shapes, init scales, clear errors', () => {
  const mk = (seed: number, init?: 'torch' | 'he' | 'glorot') => new Conv2d({ inChannels: 2, outChannels: 4, kernelSize: [3, 2], rng: new Rng(seed), name: 'c', init });
  const [a, b, c] = [mk(1), mk(1), mk(2)];
  assert.deepEqual(a.W.shape, [3, 2, 2, 4]);
  assert.deepEqual(a.W.dataSync(), b.W.dataSync());
  assert.notDeepEqual(a.W.dataSync(), c.W.dataSync());
  const t = mk(3, 'torch');
  const bound = 1 / Math.sqrt(3 * 2 * 2);
  assert.ok(Math.max(...Array.from(t.W.dataSync(), Math.abs)) <= bound && Math.max(...Array.from(t.b!.dataSync(), Math.abs)) <= bound);
  const g = mk(3, 'glorot');
  assert.ok(Math.max(...Array.from(g.W.dataSync(), Math.abs)) <= Math.sqrt(6 / (12 + 24)));
  const y = a.apply(tf.zeros([5, 7, 6, 2]));
  assert.deepEqual(y.shape, [5, 7, 6, 4]);
  const s = new Conv2d({ inChannels: 2, outChannels: 3, kernelSize: 3, stride: 2, padding: 'valid', rng: new Rng(0), name: 's' });
  assert.deepEqual(s.apply(tf.zeros([1, 7, 9, 2])).shape, [1, 3, 4, 3]);
  assert.throws(() => a.apply(tf.zeros([5, 7, 6, 3])), /input must be \[N, H, W, 2\] \(NHWC\), got \[5,7,6,3\]/);
  assert.throws(() => new Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 3, stride: 2, dilation: 2, rng: new Rng(0), name: 'x' }), /stride and dilation/);
  tf.dispose([y]);
  for (const l of [a, b, c, t, g, s]) l.dispose();
});

test('Conv2d: the fused inference path equals the recorded one; gradients match finite differences', () => {
  const r = new Rng(4);
  const conv = new Conv2d({ inChannels: 3, outChannels: 2, kernelSize: 3, stride: [1, 2], rng: r.fork('w'), name: 'c', init: 'torch' });
  const x = tf.tensor4d(r.normalArray(2 * 5 * 6 * 3), [2, 5, 6, 3]);
  const fused = conv.apply(x, 'relu');
  const manual = tf.relu(tf.add(tf.conv2d(x, conv.W as tf.Tensor4D, [1, 2], 'same'), conv.b!));
  assertClose(fused, manual, 1e-6, 'fused conv + bias + relu');
  const w = tf.tensor4d(r.normalArray(fused.size), fused.shape);
  // the recorded path (conv + bias as one op with lazy gradients) against tfjs's own ops
  const xv = tf.variable(x);
  const mine = tf.variableGrads(() => tf.sum(tf.mul(conv.apply(xv, 'relu'), w)) as tf.Scalar, [xv, conv.W, conv.b!]);
  const ref = tf.variableGrads(() => tf.sum(tf.mul(tf.relu(tf.add(tf.conv2d(xv as tf.Tensor4D, conv.W as tf.Tensor4D, [1, 2], 'same'), conv.b!)), w)) as tf.Scalar, [xv, conv.W, conv.b!]);
  for (const k of Object.keys(ref.grads)) assertClose(mine.grads[k]!, ref.grads[k]!, 1e-5, `gradient of ${k}`);
  assertClose(mine.value, ref.value, 1e-6, 'recorded forward');
  tf.dispose([xv, mine.value, ref.value, ...Object.values(mine.grads), ...Object.values(ref.grads)]);
  const worst = fdCheck((xi, Wi, bi) => tf.sum(tf.mul(tf.tanh(tf.add(tf.conv2d(xi as tf.Tensor4D, Wi as tf.Tensor4D, [1, 2], 'same'), bi!)), w)) as tf.Scalar, [x, conv.W, conv.b!]);
  assert.ok(worst < 2e-2);
  tf.dispose([x, fused, manual, w]);
  conv.dispose();
});

/** A small CNN: conv → relu → pool → [point] → conv → relu → pool → [point] → dense → output. */
function smallCnn(seed: number) {
  const r = new Rng(seed);
  const c1 = new Conv2d({ inChannels: 1, outChannels: 4, kernelSize: 3, rng: r.fork('c1'), name: 'c1' });
  const c2 = new Conv2d({ inChannels: 4, outChannels: 6, kernelSize: 3, rng: r.fork('c2'), name: 'c2' });
  const fc = new Linear({ inDim: 24, outDim: 5, rng: r.fork('fc'), name: 'fc' });
  const x = tf.tensor4d(r.normalArray(8 * 8 * 8), [8, 8, 8, 1]);
  const y = tf.tensor1d(Int32Array.from({ length: 8 }, (_, i) => i % 5), 'int32');
  /** flat: points on [N, H·W·C] (one matrix for the whole map); channel: on [N, H, W, C] (shared over positions) */
  const loss = (fb: Feedback, at: 'flat' | 'channel') => () => {
    const point = (h: tf.Tensor, name: string) => {
      if (at === 'channel') return fb.point(h, name);
      return tf.reshape(fb.point(tf.reshape(h, [h.shape[0]!, -1]), name), h.shape);
    };
    let h: tf.Tensor = tf.maxPool(c1.apply(x, 'relu'), 2, 2, 'valid');
    h = point(h, 'conv1');
    h = tf.maxPool(c2.apply(h, 'relu'), 2, 2, 'valid');
    h = point(h, 'conv2');
    return softmaxCrossEntropy(fb.output(fc.apply(tf.reshape(h, [8, 24]))), y);
  };
  const vars = [...c1.variables, ...c2.variables, ...fc.variables];
  return { loss, vars, dispose: () => [c1, c2, fc].forEach((l) => l.dispose()), data: [x, y] };
}

async function kernelCounts(method: Method, at: 'flat' | 'channel'): Promise<{ backpropInput: number; backpropFilter: number; grads: number }> {
  const net = smallCnn(7);
  const fb = new Feedback({ method, seed: 1 });
  let grads = 0;
  const prof = await tf.profile(() => {
    const r = fb.grads(net.loss(fb, at), net.vars);
    grads = r.grads.size;
    tf.dispose([r.value, ...r.grads.values()]);
  });
  net.dispose();
  tf.dispose(net.data);
  fb.dispose();
  const count = (name: string) => prof.kernels.filter((k) => k.name === name).length;
  return { backpropInput: count('Conv2DBackpropInput'), backpropFilter: count('Conv2DBackpropFilter'), grads };
}

test('DFA skips the input-gradient convolution after a feedback point (both conventions): fewer Conv2DBackpropInput than BP', async () => {
  for (const at of ['flat', 'channel'] as const) {
    const bp = await kernelCounts('bp', at);
    const dfa = await kernelCounts('dfa', at);
    const shallow = await kernelCounts('shallow', at);
    // bp: conv2's input gradient (conv1's input is data); dfa: none, the points are detached
    assert.equal(bp.backpropInput, 1, `${at}: bp`);
    assert.equal(dfa.backpropInput, 0, `${at}: dfa`);
    assert.ok(dfa.backpropInput < bp.backpropInput);
    // both convolutions still get their filter gradients under dfa; shallow trains only the head
    assert.equal(bp.backpropFilter, 2);
    assert.equal(dfa.backpropFilter, 2);
    assert.equal(dfa.grads, 6);
    assert.deepEqual([shallow.backpropInput, shallow.backpropFilter, shallow.grads], [0, 0, 2]);
  }
});
