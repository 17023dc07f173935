import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { maxRelErr } from '../../test/helpers';
import { Rng } from '../engine/rng';
import { Feedback, type FeedbackOptions, METHODS, type Method } from './index';
import { lossFn, makeNet, mat, mm, type M, reference, vars } from './test_net';

for (const scaling of ['widest', 'layer'] as const) {
  test(`dfa: hidden grads equal ((e B_i)·s ⊙ tanh'(a_i)) h_{i-1}^T, output grads exact (scaling ${scaling}, ragged widths)`, () => {
    const net = makeNet([5, 16, 8, 12, 3], 7, 1);
    const fb = new Feedback({ method: 'dfa', seed: 3, scaling });
    const { value, grads } = fb.grads(lossFn(fb, net), vars(net));
    const B = mat(fb.feedbackMatrix!);
    assert.deepEqual([B.r, B.c], [3, 16], 'B is (outDim, widest point)');
    const { hs, e } = reference(net);
    const L = net.Ws.length;
    for (let i = 0; i < L - 1; i++) {
      const w = net.dims[i + 1]!;
      const s = 1 / Math.sqrt(scaling === 'widest' ? 16 : w);
      const Bi: M = { r: 3, c: w, d: new Float64Array(3 * w) };
      for (let r = 0; r < 3; r++) for (let c = 0; c < w; c++) Bi.d[r * w + c] = B.d[r * B.c + c]!;
      const d = mm(e, Bi);
      const h = hs[i + 1]!;
      d.d.forEach((v, j) => (d.d[j] = v * s * (1 - h.d[j]! ** 2)));
      const dW = mm(hs[i]!, d, true);
      const db = new Float64Array(w);
      for (let r = 0; r < d.r; r++) for (let c = 0; c < w; c++) db[c] += d.d[r * w + c]!;
      assert.ok(maxRelErr(grads.get(net.Ws[i]!)!, dW.d) < 1e-5, `W${i + 1}`);
      assert.ok(maxRelErr(grads.get(net.bs[i]!)!, db) < 1e-5, `b${i + 1}`);
    }
    const dWo = mm(hs[L - 1]!, e, true);
    assert.ok(maxRelErr(grads.get(net.Ws[L - 1]!)!, dWo.d) < 1e-5, 'output W');
    assert.ok(Number.isFinite(value.dataSync()[0]!));
    tf.dispose([value, ...grads.values()]);
    fb.dispose();
  });
}

test('dfa: the same seed gives the same B; B ~ U(-1, 1)', () => {
  const net = makeNet([4, 64, 3], 5, 2);
  const a = new Feedback({ method: 'dfa', seed: 9 });
  const b = new Feedback({ method: 'dfa', seed: 9 });
  const c = new Feedback({ method: 'dfa', seed: 10 });
  for (const fb of [a, b, c]) tf.dispose(Object.values(fb.grads(lossFn(fb, net), vars(net))).flatMap((v) => (v instanceof Map ? [...v.values()] : [v])));
  const A = a.feedbackMatrix!.dataSync();
  assert.deepEqual(A, b.feedbackMatrix!.dataSync());
  assert.notDeepEqual(A, c.feedbackMatrix!.dataSync());
  assert.ok(Math.min(...A) >= -1 && Math.max(...A) < 1 && Math.min(...A) < -0.9 && Math.max(...A) > 0.9);
});

test('fa with each feedback matrix set to W^T equals bp exactly', () => {
  const net = makeNet([6, 10, 9, 4], 8, 3);
  const bp = new Feedback({ method: 'bp' });
  const fa = new Feedback({ method: 'fa', seed: 1 });
  ['l1', 'l2', 'out'].forEach((n, i) => fa.setFaMatrix(n, tf.transpose(net.Ws[i]!) as tf.Tensor2D, net.Ws[i]!));
  const g1 = bp.grads(lossFn(bp, net), vars(net));
  const g2 = fa.grads(lossFn(fa, net), vars(net));
  for (const v of vars(net)) assert.deepEqual(g2.grads.get(v)!.dataSync(), g1.grads.get(v)!.dataSync());
  // ... and with its own random matrices FA differs below the top layer only.
  const fa2 = new Feedback({ method: 'fa', seed: 1 });
  const g3 = fa2.grads(lossFn(fa2, net), vars(net));
  assert.deepEqual(g3.grads.get(net.Ws[2]!)!.dataSync(), g1.grads.get(net.Ws[2]!)!.dataSync());
  assert.ok(maxRelErr(g3.grads.get(net.Ws[0]!)!, Float64Array.from(g1.grads.get(net.Ws[0]!)!.dataSync())) > 0.1);
  assert.ok(fa2.faMatrixOf('l2') && fa2.faMatrixOf('l2')!.shape.join() === '9,10');
});

test('shallow: only the layers after the last feedback point get gradients, and those are exact', () => {
  const net = makeNet([6, 10, 9, 4], 8, 4);
  const bp = new Feedback({ method: 'bp' });
  const sh = new Feedback({ method: 'shallow' });
  const g1 = bp.grads(lossFn(bp, net), vars(net));
  const g2 = sh.grads(lossFn(sh, net), vars(net));
  assert.deepEqual([...g2.grads.keys()], [net.Ws[2], net.bs[2]]);
  assert.deepEqual(g2.grads.get(net.Ws[2]!)!.dataSync(), g1.grads.get(net.Ws[2]!)!.dataSync());
});

/** BatchMatMul kernels run during one grads() call (forward + backward). */
async function countMatMuls(method: Method, depth: number): Promise<number> {
  const net = makeNet([32, ...new Array(depth).fill(32), 5], 16, 5);
  const fb = new Feedback({ method, seed: 1 });
  const prof = await tf.profile(() => {
    const { value, grads } = fb.grads(lossFn(fb, net), vars(net));
    tf.dispose([value, ...grads.values()]);
  });
  return prof.kernels.filter((k) => k.name === 'BatchMatMul' || k.name === '_FusedMatMul').length;
}

test('dfa forms no W^T·delta between blocks: fewer matmuls than bp', async () => {
  const k = 4;
  const bp = await countMatMuls('bp', k);
  const dfa = await countMatMuls('dfa', k);
  const shallow = await countMatMuls('shallow', k);
  // forward k+1; bp backward: k+1 weight grads + k input grads (the first layer's input is data).
  assert.equal(bp, 3 * k + 2);
  // dfa backward: k+1 weight grads + one e·B_i projection (all points share the width).
  assert.equal(dfa, 2 * (k + 1) + 1);
  assert.equal(shallow, k + 2);
});

test('points with leading dims (batch, tokens, width): signal = e·B_i per position; an output prefix broadcasts', () => {
  const r = new Rng(6);
  const W1 = tf.variable(tf.tensor2d(r.normalArray(4 * 6, 0, 0.5), [4, 6]));
  const W2 = tf.variable(tf.tensor2d(r.normalArray(6 * 3, 0, 0.5), [6, 3]));
  const x = tf.tensor3d(r.normalArray(2 * 5 * 4), [2, 5, 4]);
  const target = tf.tensor3d(r.normalArray(2 * 5 * 3), [2, 5, 3]);
  const fb = new Feedback({ method: 'dfa', seed: 2 });
  const f = () => {
    const h = fb.point(fb.dense(x, W1)); // linear block: dW1 = x^T (e B s)
    const out = fb.output(fb.dense(h, W2));
    return tf.sum(tf.mul(0.5, tf.square(tf.sub(out, target)))) as tf.Scalar; // e = out − target
  };
  const { grads } = fb.grads(f, [W1, W2]);
  const ref = tf.tidy(() => {
    const out = tf.matMul(tf.matMul(x.reshape([10, 4]), W1), W2);
    const e = tf.sub(out, target.reshape([10, 3]));
    const sig = tf.mul(tf.matMul(e, fb.feedbackMatrix!), 1 / Math.sqrt(6));
    return tf.matMul(x.reshape([10, 4]), sig, true, false);
  });
  assert.ok(maxRelErr(grads.get(W1)!, Float64Array.from(ref.dataSync())) < 1e-5);

  // Output per sequence [2, 3], point per token [2, 5, 6]: every token of a sequence gets its sequence's signal.
  const fb2 = new Feedback({ method: 'dfa', seed: 2 });
  const t2 = tf.tensor2d(r.normalArray(6), [2, 3]);
  const f2 = () => {
    const h = fb2.point(fb2.dense(x, W1));
    const out = fb2.output(fb2.dense(tf.mean(h, 1), W2));
    return tf.sum(tf.mul(0.5, tf.square(tf.sub(out, t2)))) as tf.Scalar;
  };
  const g2 = fb2.grads(f2, [W1, W2]);
  const ref2 = tf.tidy(() => {
    const out = tf.matMul(tf.mean(tf.matMul(x.reshape([10, 4]), W1).reshape([2, 5, 6]), 1), W2);
    const sig = tf.mul(tf.matMul(tf.sub(out, t2), fb2.feedbackMatrix!), 1 / Math.sqrt(6)); // [2, 6]
    const perTok = tf.broadcastTo(sig.reshape([2, 1, 6]), [2, 5, 6]).reshape([10, 6]);
    return tf.matMul(x.reshape([10, 4]), perTok, true, false);
  });
  assert.ok(maxRelErr(g2.grads.get(W1)!, Float64Array.from(ref2.dataSync())) < 1e-5);
});

test('a forward wrapped in tf.tidy inside f gives the same gradients', () => {
  const net = makeNet([5, 16, 8, 3], 4, 9);
  const fb = new Feedback({ method: 'dfa', seed: 1 });
  const a = fb.grads(lossFn(fb, net), vars(net));
  const b = fb.grads(() => tf.tidy(lossFn(fb, net)), vars(net));
  for (const v of vars(net)) assert.deepEqual(b.grads.get(v)!.dataSync(), a.grads.get(v)!.dataSync());
});

test('clear errors: unknown method, point wider than B, mismatched shapes, missing output, bad loss', () => {
  assert.throws(() => new Feedback({ method: 'dfx' }), /unknown training method 'dfx'.*bp, dfa, fa, shallow/);
  const net = makeNet([5, 16, 8, 3], 4, 7);
  const narrow = new Feedback({ method: 'dfa', maxWidth: 8 });
  assert.throws(() => narrow.grads(lossFn(narrow, net), vars(net)), /feedback point 'h1' has width 16, wider than the feedback matrix allows \(8 columns\)/);

  const fb = new Feedback({ method: 'dfa' });
  assert.throws(() => fb.dense(tf.zeros([2, 7]), net.Ws[0]!, undefined, 'l1'), /dense 'l1': input has shape \[2,7\] but W is \[5,16\]/);
  const x3 = tf.zeros([4, 3, 5]);
  assert.throws(
    () => fb.grads(() => {
      const h = fb.point(tf.tanh(fb.dense(x3, net.Ws[0]!))); // [4, 3, 16]
      const out = fb.output(tf.zeros([5, 3]).add(tf.sum(h)));
      return tf.sum(out) as tf.Scalar;
    }, vars(net)),
    /feedback point 'h1' has shape \[4,3,16\] but the output has shape \[5,3\]/,
  );
  assert.throws(() => fb.grads(() => tf.sum(fb.point(fb.dense(net.x, net.Ws[0]!))) as tf.Scalar, vars(net)), /never called output/);
  assert.throws(() => fb.grads(() => fb.output(fb.dense(net.x, net.Ws[0]!)) as tf.Scalar, vars(net)), /scalar loss, got shape \[4,16\]/);
  // the object is usable after an error
  const { value, grads } = fb.grads(lossFn(fb, net), vars(net));
  assert.equal(grads.size, 6);
  tf.dispose([value, ...grads.values()]);
});

test('no tensors leak from a training step, an alignment measurement or the matrix angles, for any method or signal path', async () => {
  const net = makeNet([5, 16, 8, 3], 4, 8);
  const configs: FeedbackOptions[] = [
    ...METHODS.map((method) => ({ method })),
    { method: 'dfa', projection: 'structured', errorBits: 2, noise: 0.1 },
    { method: 'drtp', projection: 'sparse', scaling: 'layer', noise: 0.1 },
  ];
  for (const c of configs) {
    const fb = new Feedback(c);
    const once = async () => {
      const { value, grads } = fb.grads(lossFn(fb, net, { target: true }), vars(net));
      tf.dispose([value, ...grads.values()]);
      await fb.alignment(lossFn(fb, net, { target: true }), vars(net));
      fb.matrixAngles({ h1: net.Ws.slice(1), h2: net.Ws.slice(2) });
    };
    await once(); // creates the feedback matrices
    const before = tf.memory().numTensors;
    await once();
    assert.equal(tf.memory().numTensors, before, JSON.stringify(c));
  }
});
