import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { softmaxCrossEntropy } from '../metrics/losses';
import { Feedback, angleDeg, cosines } from './index';
import { METHODS, METHOD_FAMILY } from './methods';
import { PROJECTIONS } from './projection';

function net(dims: number[], n: number, seed: number) {
  const r = new Rng(seed);
  const Ws = dims.slice(0, -1).map((d, i) => tf.variable(tf.tensor2d(r.normalArray(d * dims[i + 1]!, 0, 1 / Math.sqrt(d)), [d, dims[i + 1]!])));
  const x = tf.tensor2d(r.normalArray(n * dims[0]!), [n, dims[0]!]);
  const y = tf.tensor1d(Int32Array.from({ length: n }, () => r.int(dims[dims.length - 1]!)), 'int32');
  const loss = (fb: Feedback) => () => {
    fb.target(y); // drtp's target; ignored by the other methods
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

test('alignment and matrix angles for every method, and for dfa under every projection: named per point / layer, bounded, by definition', async () => {
  const { Ws, loss } = net([8, 32, 24, 4], 32, 6);
  const paths = { h1: [Ws[1]!, Ws[2]!], h2: [Ws[2]!] };
  /** B_i (its first `width` columns) against the path's transpose, computed here. */
  const directAngle = (fb: Feedback, path: tf.Tensor[]) => tf.tidy(() => {
    const p = path.length === 2 ? tf.matMul(path[0] as tf.Tensor2D, path[1] as tf.Tensor2D) : path[0]!;
    return angleDeg(tf.slice(fb.feedbackMatrix!, [0, 0], [4, p.shape[0]!]), tf.transpose(p));
  });
  const check = async (fb: Feedback, label: string) => {
    const al = await fb.alignment(loss(fb), Ws);
    const family = METHOD_FAMILY[fb.method];
    if (family === 'none') return assert.deepEqual(al, [], label);
    assert.deepEqual(al.map((a) => a.name), ['h1', 'h2'], label);
    for (const a of al) assert.ok(Number.isFinite(a.mean) && Math.abs(a.mean) <= 1 + 1e-6 && a.n === 32, `${label}: ${JSON.stringify(a)}`);
    if (family === 'exact') for (const a of al) assert.ok(a.mean > 0.99999, `${label}: ${JSON.stringify(a)}`);
    const angles = fb.matrixAngles(paths);
    if (family === 'exact') assert.deepEqual(angles, [], label);
    if (family === 'layerwise') {
      assert.deepEqual(angles.map((a) => a.name), ['l1', 'l2', 'out'], label);
      // sign-concordant B agrees in sign with every weight: strictly under 90°; fa's random B near 90°
      for (const a of angles) assert.ok(fb.method === 'fa' ? Math.abs(a.degrees - 90) < 20 : a.degrees > 0 && a.degrees < 60, `${label} ${a.name}: ${a.degrees}°`);
    }
    if (family === 'direct') {
      assert.deepEqual(angles.map((a) => a.name), ['h1', 'h2'], label);
      angles.forEach((a, i) => assert.ok(Math.abs(a.degrees - directAngle(fb, Object.values(paths)[i]!)) < 1e-3 && a.degrees > 45 && a.degrees < 135, `${label} ${a.name}: ${a.degrees}°`));
    }
  };
  for (const method of METHODS) {
    const fb = new Feedback({ method, seed: 2 });
    await check(fb, method);
    fb.dispose();
  }
  for (const projection of PROJECTIONS) {
    const fb = new Feedback({ method: 'dfa', seed: 2, projection, errorBits: 4, noise: 0.05 });
    await check(fb, `dfa/${projection}`);
    fb.dispose();
  }
});
