/**
 * The Transformer ops (linear, layer norm, scaled causal softmax, counter-based dropout, causal
 * attention, sparse cross-entropy): the native kernels against the composites on the cpu backend
 * (values and gradients, random shapes with sizes 0, 1 and odd ones), and dropout's statistics,
 * determinism and gradient on whichever backend is current. (The cpu kernels against the same
 * composites, bit for bit: src/engine/cpu/kernels.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { maxRelErr as maxRel, nativeSkip as skipReason, onBackend } from '../../../test/helpers';
import { Rng } from '../rng';
import { NATIVE_BACKEND } from '../native/name';
import { layerNorm } from './layer_norm';
import { scaledSoftmax } from './scaled_softmax';
import { seededDropout, dropoutMask } from './dropout';
import { layerNormComposite } from '../cpu/layer_norm';
import { scaledSoftmaxComposite } from '../cpu/scaled_softmax';

const nativeSkip = skipReason();
const rng = new Rng(77);

/** Value and gradients of sum(f(xs) * R) on a backend, from the same input data. */
function valueAndGrads(backend: string, data: Array<{ v: Float32Array; shape: number[] }>, r: Float32Array, f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<Float32Array[]> {
  return onBackend(backend, () => tf.tidy(() => {
    const xs = data.map((d) => tf.tensor(d.v.slice(), d.shape));
    const y = f(...xs);
    const R = tf.tensor(r, y.shape);
    const gs = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), R)))(xs);
    return [y, ...gs].map((t) => Float32Array.from(t.dataSync() as Float32Array));
  }));
}

async function nativeVsComposite(label: string, shapes: number[][], outSize: number, native: (...xs: tf.Tensor[]) => tf.Tensor, composite: (...xs: tf.Tensor[]) => tf.Tensor, tol = 2e-5): Promise<void> {
  const data = shapes.map((shape) => ({ shape, v: rng.uniformArray(shape.reduce((a, b) => a * b, 1), -3, 3) }));
  const r = rng.normalArray(outSize);
  const ref = await valueAndGrads('cpu', data, r, composite);
  const got = await valueAndGrads(NATIVE_BACKEND, data, r, native);
  ref.forEach((a, i) => {
    const e = maxRel(got[i]!, a);
    assert.ok(e < tol, `${label}: ${i === 0 ? 'value' : `gradient ${i}`} relative error ${e.toExponential(2)}`);
  });
}

test('fused layer norm equals the tfjs composite in value and all three gradients', { skip: nativeSkip }, async () => {
  for (const shape of [[1], [0, 4], [3, 5], [2, 7, 33], [1, 256], [70, 64], [4, 1]]) {
    const C = shape[shape.length - 1]!;
    await nativeVsComposite(`layerNorm [${shape}]`, [shape, [C], [C]], shape.reduce((a, b) => a * b, 1), (x, g, b) => layerNorm(x!, g!, b!), (x, g, b) => layerNormComposite(x!, g!, b!), 5e-5);
  }
  // rows large enough for the threaded path (>= 2^17 elements per thread)
  await nativeVsComposite('layerNorm [1100, 256]', [[1100, 256], [256], [256]], 1100 * 256, (x, g, b) => layerNorm(x!, g!, b!), (x, g, b) => layerNormComposite(x!, g!, b!), 5e-5);
});

test('fused scaled (causal) softmax equals the composite in value and gradient', { skip: nativeSkip }, async () => {
  for (const [shape, causal] of [[[1], false], [[0, 5], true], [[4, 9], false], [[3, 6, 6], true], [[2, 5, 8], true], [[1, 1], true], [[2, 17, 17], false]] as Array<[number[], boolean]>) {
    const scale = 0.1 + rng.next();
    await nativeVsComposite(`scaledSoftmax [${shape}] causal ${causal}`, [shape], shape.reduce((a, b) => a * b, 1),
      (x) => scaledSoftmax(x!, scale, causal), (x) => scaledSoftmaxComposite(x!, scale, causal));
  }
  const y = scaledSoftmax(tf.zeros([1, 3, 3]), 1, true).dataSync();
  assert.deepEqual(Array.from(y, (v) => Math.round(v * 1e6) / 1e6), [1, 0, 0, 0.5, 0.5, 0, 0.333333, 0.333333, 0.333333]);
});

test('seeded dropout: keep rate, scaling, same key same mask, gradient is the mask', () => {
  tf.tidy(() => {
    const n = 40000, p = 0.3, key = { k0: 12345, k1: 0xdeadbeef };
    const x = tf.tensor(rng.uniformArray(n, 0.5, 1.5));
    const y = seededDropout(x, p, key).dataSync();
    const xv = x.dataSync();
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (y[i] !== 0) {
        kept++;
        assert.ok(Math.abs(y[i]! - xv[i]! / (1 - p)) < 1e-6);
      }
    }
    assert.ok(Math.abs(kept / n - (1 - p)) < 0.01, `kept ${kept / n}`);
    assert.deepEqual(seededDropout(x, p, key).dataSync(), y, 'same key, same numbers');
    const other = seededDropout(x, p, { k0: 12346, k1: 0xdeadbeef }).dataSync();
    let same = 0;
    for (let i = 0; i < n; i++) same += (other[i] !== 0) === (y[i] !== 0) ? 1 : 0;
    assert.ok(same / n < 0.65, `masks of neighbouring keys agree on ${same / n}`); // independent: 0.7² + 0.3² = 0.58
    const mask = dropoutMask(n, p, key);
    const g = tf.grad((t: tf.Tensor) => tf.sum(seededDropout(t, p, key)))(x).dataSync();
    assert.deepEqual(Float32Array.from(g), mask);
    assert.equal(seededDropout(x, 0, key), x);
  });
});

test('seeded dropout gives bit-identical numbers on native and cpu', { skip: nativeSkip }, async () => {
  const v = rng.normalArray(3 * 1000 + 7);
  const run = (b: string) => onBackend(b, () => tf.tidy(() => Float32Array.from(seededDropout(tf.tensor(v, [v.length]), 0.1, { k0: 7, k1: 99 }).dataSync() as Float32Array)));
  assert.deepEqual(await run(NATIVE_BACKEND), await run('cpu'));
  // the threaded native path (over 2^18 elements) equals the JS mask too
  const big = 300000;
  const y = await onBackend(NATIVE_BACKEND, () => tf.tidy(() => Float32Array.from(seededDropout(tf.ones([big]), 0.25, { k0: 1, k1: 2 }).dataSync())));
  assert.deepEqual(y, dropoutMask(big, 0.25, { k0: 1, k1: 2 }));
});

// T 70 and 33 cross the kernel's 32-row causal blocks
test('fused causal attention equals the tfjs composite in value and gradient, with and without dropout', { skip: nativeSkip }, async () => {
  const { causalAttention } = await import('./causal_attention');
  const { causalAttentionComposite } = await import('../cpu/causal_attention');
  for (const [B, T, H, dh, rate] of [[1, 1, 1, 1, 0], [0, 4, 2, 2, 0.2], [2, 5, 2, 3, 0], [1, 7, 3, 4, 0.3], [3, 16, 4, 8, 0.1], [2, 1, 1, 2, 0.5], [1, 70, 2, 4, 0.2], [2, 33, 1, 3, 0]] as number[][]) {
    const key = { k0: rng.nextUint32(), k1: rng.nextUint32() };
    const drop = rate! > 0 ? { rate: rate!, key } : null;
    await nativeVsComposite(`attention B${B} T${T} H${H} dh${dh} p${rate}`, [[B!, T!, 3 * H! * dh!]], B! * T! * H! * dh!,
      (x) => causalAttention(x as tf.Tensor3D, H!, drop), (x) => causalAttentionComposite(x as tf.Tensor3D, H!, drop), 5e-5);
  }
});

test('native linear (bias inside the GEMM, lazy gradients) equals matMul + add in value and gradients', { skip: nativeSkip }, async () => {
  const { linearOp: linear } = await import('./linear');
  for (const [lead, i, o] of [[[0], 3, 4], [[1], 1, 1], [[5], 3, 4], [[2, 3], 7, 9], [[64], 33, 1]] as Array<[number[], number, number]>) {
    const n = lead.reduce((a, b) => a * b, 1);
    await nativeVsComposite(`linear [${lead},${i}]x[${i},${o}]`, [[...lead, i], [i, o], [o]], n * o,
      (x, w, b) => linear(x!, w!, b!), (x, w, b) => tf.add(tf.reshape(tf.matMul(tf.reshape(x!, [-1, i]), w!), [...lead, o]), b!));
  }
});

test('threaded sparse softmax cross-entropy (LM-sized rows) equals the cpu composite; a bad label is named', { skip: nativeSkip }, async () => {
  const { sparseSoftmaxCrossEntropy } = await import('./sparse_softmax_cross_entropy');
  const N = 300, C = 1000; // 3e5 logits: split over the threads
  const z = rng.normalArray(N * C, 0, 3), labels = Int32Array.from({ length: N }, () => rng.int(C));
  const run = (b: string) => onBackend(b, () => tf.tidy(() => {
    const y = tf.tensor1d(labels, 'int32');
    const { value, grads } = tf.valueAndGrads((l: tf.Tensor) => sparseSoftmaxCrossEntropy(l, y))([tf.tensor2d(z, [N, C])]);
    return [value.dataSync()[0]!, Float32Array.from(grads[0]!.dataSync() as Float32Array)] as const;
  }));
  const [lr, gr] = await run('cpu');
  const [ln, gn] = await run(NATIVE_BACKEND);
  assert.ok(Math.abs(ln - lr) < 1e-5 * Math.abs(lr), `loss ${ln} vs ${lr}`);
  assert.ok(maxRel(gn, gr) < 1e-5, `gradient relative error ${maxRel(gn, gr)}`);
  await onBackend(NATIVE_BACKEND, () => assert.throws(() => tf.tidy(() => sparseSoftmaxCrossEntropy(tf.zeros([N, C]), tf.fill([N], C, 'int32'))), /label out of range/));
});
