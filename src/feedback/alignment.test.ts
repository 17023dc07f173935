import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { softmaxCrossEntropy } from '../metrics/losses';
import { Feedback, angleDeg, cosines } from './index';

function net(dims: number[], n: number, seed: number) {
  const r = new Rng(seed);
  const Ws = dims.slice(0, -1).map((d, i) => tf.variable(tf.tensor2d(r.normalArray(d * dims[i + 1]!, 0, 1 / Math.sqrt(d)), [d, dims[i + 1]!])));
  const x = tf.tensor2d(r.normalArray(n * dims[0]!), [n, dims[0]!]);
  const y = tf.tensor1d(Int32Array.from({ length: n }, () => r.int(dims[dims.length - 1]!)), 'int32');
  const loss = (fb: Feedback) => () => {
    let h: tf.Tensor = x;
    for (let i = 0; i < Ws.length - 1; i++) h = fb.point(tf.tanh(fb.dense(h, Ws[i]!, undefined, `l${i + 1}`)));
    return softmaxCrossEntropy(fb.output(fb.dense(h, Ws[Ws.length - 1]!, undefined, 'out')), y);
  };
  return { Ws, loss };
}

test('cosines: hand-computed rows, zero rows skipped', () => {
  const a = tf.tensor2d([[1, 0], [1, 1], [0, 0], [2, 0]]);
  const b = tf.tensor2d([[1, 0], [-1, 1], [1, 1], [-3, 0]]);
  assert.deepEqual([...cosines(a, b)], [1, 0, -1]);
  assert.ok(Math.abs(angleDeg(tf.tensor1d([1, 0]), tf.tensor1d([1, 1])) - 45) < 1e-4);
});

test('dfa alignment is 1 where the feedback matrix equals the BP path (B = W_out^T)', async () => {
  const { Ws, loss } = net([6, 20, 4], 16, 1);
  const fb = new Feedback({ method: 'dfa' });
  fb.setFeedbackMatrix(tf.transpose(Ws[1]!) as tf.Tensor2D);
  const [a] = await fb.alignment(loss(fb), Ws);
  assert.equal(a!.name, 'h1');
  assert.equal(a!.n, 16);
  assert.ok(a!.mean > 0.99999 && a!.std < 1e-5, JSON.stringify(a));
  const [ang] = fb.matrixAngles({ h1: [Ws[1]!] });
  assert.ok(ang!.degrees < 0.1);
});

test('dfa alignment is near 0 for an untrained net with random feedback; bp is 1; shallow has none', async () => {
  const { Ws, loss } = net([32, 256, 256, 10], 64, 2);
  const fb = new Feedback({ method: 'dfa', seed: 5 });
  const al = await fb.alignment(loss(fb), Ws);
  assert.deepEqual(al.map((a) => a.name), ['h1', 'h2']);
  for (const a of al) assert.ok(Math.abs(a.mean) < 0.1 && a.std > 0.01, JSON.stringify(a));
  for (const a of fb.matrixAngles({ h1: [Ws[1]!, Ws[2]!], h2: [Ws[2]!] })) assert.ok(Math.abs(a.degrees - 90) < 10, JSON.stringify(a));
  const bp = new Feedback({ method: 'bp' });
  for (const a of await bp.alignment(loss(bp), Ws)) assert.ok(a.mean > 0.99999);
  const sh = new Feedback({ method: 'shallow' });
  assert.deepEqual(await sh.alignment(loss(sh), Ws), []);
});

test('fa alignment: 1 with B = W^T, below 1 with random B; angles 0 and ~90 degrees', async () => {
  const { Ws, loss } = net([8, 64, 64, 5], 32, 3);
  const fa = new Feedback({ method: 'fa', seed: 1 });
  const rand = await fa.alignment(loss(fa), Ws);
  assert.ok(rand[0]!.mean < 0.5 && Math.abs(rand[1]!.mean) < 0.3, JSON.stringify(rand));
  for (const a of fa.matrixAngles()) assert.ok(Math.abs(a.degrees - 90) < 15, JSON.stringify(a));
  ['l1', 'l2', 'out'].forEach((n, i) => fa.setFaMatrix(n, tf.transpose(Ws[i]!) as tf.Tensor2D, Ws[i]!));
  for (const a of await fa.alignment(loss(fa), Ws)) assert.ok(a.mean > 0.99999, JSON.stringify(a));
  for (const a of fa.matrixAngles()) assert.ok(a.degrees < 0.1);
});
