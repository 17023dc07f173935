import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose } from '../../test/helpers';
import { Feedback } from './index';
import { layerwiseGrads64, lossFn, makeNet, mat, type Net, vars } from './test_net';

const NAMES = ['l1', 'l2', 'out'];

/** Runs one step and checks every gradient against the float64 reference with the B_l the method reports. */
function checkAgainstDefinition(fb: Feedback, net: Net): tf.Tensor[] {
  const { value, grads } = fb.grads(lossFn(fb, net), vars(net));
  const Bs = NAMES.map((n) => fb.layerFeedbackOf(n)!);
  const ref = layerwiseGrads64(net, Bs.map(mat));
  net.Ws.forEach((W, l) => assertClose(grads.get(W)!, ref.dW[l]!, 1e-5, `${fb.method} dW${l + 1}`));
  net.bs.forEach((b, l) => assertClose(grads.get(b)!, ref.db[l]!, 1e-5, `${fb.method} db${l + 1}`));
  tf.dispose([value, ...grads.values()]);
  return Bs;
}

const signs = (t: tf.Tensor) => Array.from(t.dataSync(), Math.sign);
const abs = (t: tf.Tensor) => Array.from(t.dataSync(), Math.abs);
const transposed = (W: tf.Tensor) => tf.tidy(() => tf.transpose(W));
const glorotBound = (W: tf.Tensor) => Math.sqrt(6 / (W.shape[0]! + W.shape[1]!));

test('usf: each layer backpropagates through s·sign(W)ᵀ, s = sqrt(2/(in+out)); the gradients equal that definition', () => {
  const net = makeNet([6, 10, 9, 4], 8, 11);
  const fb = new Feedback({ method: 'usf' });
  const Bs = checkAgainstDefinition(fb, net);
  Bs.forEach((B, l) => {
    const W = net.Ws[l]!;
    const s = glorotBound(W) / Math.sqrt(3);
    assert.deepEqual(B.shape, [W.shape[1], W.shape[0]]);
    assert.deepEqual(signs(B), signs(transposed(W)), `sign(B) = sign(Wᵀ), layer ${NAMES[l]}`);
    for (const v of abs(B)) assert.ok(Math.abs(v - s) < 1e-7, `|B| = ${v}, expected ${s}`);
  });
  tf.dispose(Bs);
  // The top layer's input gradient is not used by any variable, the rest differ from BP's.
  assert.equal(fb.faMatrixOf('l1'), null, 'usf stores no matrix');
});

test('frsf: B = |R| ⊙ sign(W)ᵀ with |R| fixed across steps while the signs follow W', () => {
  const net = makeNet([6, 10, 9, 4], 8, 12);
  const fb = new Feedback({ method: 'frsf', seed: 2 });
  const B0 = checkAgainstDefinition(fb, net);
  const R0 = NAMES.map((n) => Array.from(fb.faMatrixOf(n)!.dataSync()));
  R0.forEach((R, l) => {
    const a = glorotBound(net.Ws[l]!);
    assert.ok(R.every((v) => v >= 0 && v <= a), 'magnitudes in [0, a]');
    const mean = R.reduce((x, y) => x + y, 0) / R.length;
    assert.ok(Math.abs(mean - a / 2) < 0.25 * a, `mean |R| ${mean} near a/2 = ${a / 2}`);
    assert.deepEqual(abs(B0[l]!), R.map((v) => Math.fround(v)));
  });
  // A step that flips signs: W ← −W + noise. |B| stays |R|, sign(B) follows the new W.
  net.Ws.forEach((W) => W.assign(tf.tidy(() => tf.add(tf.neg(W), tf.mul(0.01, tf.randomNormal(W.shape, 0, 1, 'float32', 3))))));
  const B1 = checkAgainstDefinition(fb, net);
  B1.forEach((B, l) => {
    assert.deepEqual(abs(B), abs(B0[l]!), `magnitudes of ${NAMES[l]} fixed`);
    assert.deepEqual(signs(B), signs(transposed(net.Ws[l]!)), `signs of ${NAMES[l]} follow W`);
    assert.deepEqual(Array.from(fb.faMatrixOf(NAMES[l]!)!.dataSync()), R0[l]);
  });
  tf.dispose([...B0, ...B1]);
});

test('brsf: |R_t| redrawn every batch, signs from W; the same seed redraws the same sequence', () => {
  const net = makeNet([6, 10, 9, 4], 8, 13);
  const fb = new Feedback({ method: 'brsf', seed: 4 });
  const twin = new Feedback({ method: 'brsf', seed: 4 });
  const B1 = checkAgainstDefinition(fb, net);
  const B2 = checkAgainstDefinition(fb, net); // same weights, next batch
  const T1 = checkAgainstDefinition(twin, net);
  B1.forEach((B, l) => {
    const W = net.Ws[l]!;
    const a = glorotBound(W);
    assert.deepEqual(signs(B), signs(transposed(W)));
    assert.deepEqual(signs(B2[l]!), signs(transposed(W)));
    assert.ok(abs(B).every((v) => v <= a));
    assert.notDeepEqual(abs(B), abs(B2[l]!), `${NAMES[l]}: a new draw per batch`);
    assert.deepEqual(B.dataSync(), T1[l]!.dataSync(), 'same seed, same draw');
  });
  assert.equal(fb.faMatrixOf('l1'), null, 'brsf stores no matrix');
  tf.dispose([...B1, ...B2, ...T1]);
});

test('sign-concordant alignment and angles: usf is well aligned with BP at init, its angle is acos(E|w| / rms(w))', async () => {
  const net = makeNet([16, 64, 64, 5], 32, 14);
  for (const method of ['usf', 'frsf', 'brsf'] as const) {
    const fb = new Feedback({ method, seed: 1 });
    const al = await fb.alignment(lossFn(fb, net), vars(net));
    assert.deepEqual(al.map((a) => a.name), ['h1', 'h2']);
    // the last hidden point receives out's feedback only: a single sign-concordant layer
    assert.ok(al[1]!.mean > 0.5, `${method}: ${JSON.stringify(al)}`);
    const angles = fb.matrixAngles();
    assert.deepEqual(angles.map((a) => a.name), NAMES);
    for (const a of angles) assert.ok(a.degrees > 0 && a.degrees < 60, `${method} ${a.name}: ${a.degrees}°`);
    if (method === 'usf') {
      angles.forEach((a, l) => {
        const w = Array.from(net.Ws[l]!.dataSync());
        const l1 = w.reduce((s, v) => s + Math.abs(v), 0);
        const l2 = Math.sqrt(w.reduce((s, v) => s + v * v, 0));
        const expected = (Math.acos(l1 / (Math.sqrt(w.length) * l2)) * 180) / Math.PI;
        assert.ok(Math.abs(a.degrees - expected) < 0.01, `usf ${a.name}: ${a.degrees} vs ${expected}`);
      });
    }
    fb.dispose();
  }
});

test('layer-wise options: projection, errorBits and noise are refused with a clear error; setFaMatrix needs fa or frsf', () => {
  assert.throws(() => new Feedback({ method: 'usf', projection: 'ternary' }), /projection 'ternary' shapes the direct methods' signal \(dfa, drtp\), not 'usf'/);
  assert.throws(() => new Feedback({ method: 'fa', errorBits: 4, noise: 0.1 }), /errorBits, noise shape the direct methods' signal/);
  const net = makeNet([3, 4, 2], 2, 1);
  const fb = new Feedback({ method: 'usf' });
  assert.throws(() => fb.setFaMatrix('l1', tf.zeros([4, 3]) as tf.Tensor2D, net.Ws[0]!), /usf stores no feedback matrix per layer/);
});
