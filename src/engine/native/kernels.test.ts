/**
 * Every native kernel against tfjs's own cpu kernel: random shapes, transposes, broadcasting,
 * edge sizes 0 and 1, to 1e-5 relative (max |diff| / max(1, max |reference|)).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { loadNativeAddon } from './addon';
import { registerNativeBackend, NATIVE_BACKEND } from './register';

const addon = loadNativeAddon();
const skip = addon ? false : 'native addon not built (npm run build:native)';
if (addon) registerNativeBackend(addon);
const rng = new Rng(1234);

type Inputs = Array<{ shape: number[]; dtype?: 'float32' | 'int32'; values?: ArrayLike<number> }>;

function make(inputs: Inputs): Array<Float32Array | Int32Array> {
  return inputs.map((i) => {
    if (i.values) return i.dtype === 'int32' ? Int32Array.from(i.values) : Float32Array.from(i.values);
    const n = i.shape.reduce((a, b) => a * b, 1);
    return rng.uniformArray(n, -2, 2);
  });
}

/** Runs f on both backends from the same input data and compares. */
async function compare(label: string, inputs: Inputs, f: (...xs: tf.Tensor[]) => tf.Tensor, tol = 1e-5): Promise<void> {
  const data = make(inputs);
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const xs = inputs.map((i, k) => tf.tensor(data[k]!.slice(), i.shape, i.dtype ?? 'float32'));
      const y = f(...xs);
      return { shape: y.shape, values: Float32Array.from(y.dataSync() as Float32Array) };
    });
  };
  const prev = tf.getBackend();
  try {
    const ref = await run('cpu');
    const got = await run(NATIVE_BACKEND);
    assert.deepEqual(got.shape, ref.shape, `${label}: shape`);
    let maxRef = 1, maxDiff = 0;
    for (let i = 0; i < ref.values.length; i++) {
      const r = ref.values[i]!, g = got.values[i]!;
      if (Number.isNaN(r) || Number.isNaN(g)) {
        assert.ok(Number.isNaN(r) && Number.isNaN(g), `${label}: NaN mismatch at ${i} (${r} vs ${g})`);
        continue;
      }
      if (!Number.isFinite(r)) {
        assert.equal(g, r, `${label}: at ${i}`);
        continue;
      }
      maxRef = Math.max(maxRef, Math.abs(r));
      maxDiff = Math.max(maxDiff, Math.abs(r - g));
    }
    assert.ok(maxDiff / maxRef <= tol, `${label}: relative error ${maxDiff / maxRef}`);
  } finally {
    await tf.setBackend(prev);
  }
}

const dims = () => [0, 1, 2, 7, 33][rng.int(5)]!;

test('BatchMatMul: transposes, batches, broadcast batches, edge sizes', { skip }, async () => {
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[128, 784], [784, 256], false, false],
    [[64, 32], [48, 64], true, true],
    [[3, 5, 7], [3, 7, 4], false, false],
    [[3, 7, 5], [1, 7, 4], true, false],
    [[1, 5, 7], [6, 4, 7], false, true],
    [[2, 3, 5, 7], [7, 4], false, false],
    [[0, 5], [5, 3], false, false],
    [[4, 0], [0, 3], false, false],
    [[1, 1], [1, 1], false, false],
  ];
  for (let i = 0; i < 12; i++) {
    const [m, n, k, b] = [dims(), dims(), dims(), 1 + rng.int(3)];
    const ta = rng.next() < 0.5, tb = rng.next() < 0.5;
    cases.push([[b, ta ? k : m, ta ? m : k], [tb ? n : k, tb ? k : n], ta, tb]);
  }
  for (const [as, bs, ta, tb] of cases) {
    await compare(`matMul ${as} x ${bs} ta=${ta} tb=${tb}`, [{ shape: as }, { shape: bs }], (a, b) => tf.matMul(a!, b!, ta, tb));
  }
});

test('_FusedMatMul with bias and activations', { skip }, async () => {
  // tfjs's cpu kernel has no fused tanh: its reference is the unfused computation.
  const unfusedTanh = (a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor, ta: boolean, tb: boolean) =>
    tf.getBackend() === 'cpu' ? tf.tanh(tf.add(tf.matMul(a, b, ta, tb), bias))
      : tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: ta, transposeB: tb, bias, activation: 'tanh' as never });
  await compare('fused tanh', [{ shape: [9, 13] }, { shape: [13, 6] }, { shape: [6] }], (a, b, bias) => unfusedTanh(a!, b!, bias!, false, false));
  await compare('fused tanh tb', [{ shape: [9, 13] }, { shape: [6, 13] }, { shape: [6] }], (a, b, bias) => unfusedTanh(a!, b!, bias!, false, true));
  for (const activation of ['linear', 'relu', 'sigmoid', 'elu', 'relu6', 'leakyrelu'] as const) {
    for (const [ta, tb] of [[false, false], [true, false], [false, true]] as const) {
      const m = 9, k = 13, n = 6;
      await compare(`fused ${activation} ta=${ta} tb=${tb}`, [{ shape: ta ? [k, m] : [m, k] }, { shape: tb ? [n, k] : [k, n] }, { shape: [n] }],
        (a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: ta, transposeB: tb, bias, activation }));
    }
  }
});

test('unary ops', { skip }, async () => {
  const ops: Record<string, (x: tf.Tensor) => tf.Tensor> = {
    tanh: tf.tanh, relu: tf.relu, relu6: tf.relu6, elu: tf.elu, sigmoid: tf.sigmoid, exp: tf.exp, square: tf.square,
    neg: tf.neg, abs: tf.abs, softplus: tf.softplus, sin: tf.sin, cos: tf.cos, expm1: tf.expm1, sign: tf.sign,
    erf: tf.erf, floor: tf.floor, ceil: tf.ceil, selu: tf.selu, reciprocal: tf.reciprocal,
    leakyRelu: (x) => tf.leakyRelu(x, 0.3), step: (x) => tf.step(x, 0.1),
    log: (x) => tf.log(tf.abs(x)), sqrt: (x) => tf.sqrt(tf.abs(x)), rsqrt: (x) => tf.rsqrt(tf.abs(x)), log1p: (x) => tf.log1p(tf.abs(x)),
  };
  for (const [name, f] of Object.entries(ops)) {
    for (const shape of [[0], [1], [5, 7], [3, 1, 129]]) await compare(`${name} ${shape}`, [{ shape }], f);
  }
});

test('binary ops with broadcasting', { skip }, async () => {
  const ops: Record<string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
    add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div, maximum: tf.maximum, minimum: tf.minimum,
    squaredDifference: tf.squaredDifference, atan2: tf.atan2, pow: (a, b) => tf.pow(tf.abs(a), b),
  };
  const shapes: Array<[number[], number[]]> = [
    [[4, 5], [4, 5]], [[4, 5], [5]], [[4, 5], [4, 1]], [[], [3, 2]], [[3, 1, 5], [1, 4, 1]], [[2, 3, 4, 5], [3, 1, 5]],
    [[0, 3], [3]], [[1], [1]], [[6, 1], [1, 1]], [[2, 1, 3, 1, 4], [1, 5, 1, 2, 1]],
    // rows against a [rows, 1] column either way round (the loops for a scalar side), threaded
    [[4, 1], [4, 5]], [[300, 624], [300, 1]],
  ];
  for (const [name, f] of Object.entries(ops)) {
    for (const [a, b] of shapes) await compare(`${name} ${a} ${b}`, [{ shape: a }, { shape: b }], f);
  }
});

test('addN', { skip }, async () => {
  await compare('addN', [{ shape: [3, 4] }, { shape: [3, 4] }, { shape: [3, 4] }], (a, b, c) => tf.addN([a!, b!, c!]));
});

test('reductions over contiguous and scattered axes, keepDims', { skip }, async () => {
  const ops: Record<string, (x: tf.Tensor, axis: number | number[], keep: boolean) => tf.Tensor> = {
    sum: tf.sum, mean: tf.mean, max: tf.max, min: tf.min, prod: (x, a, k) => tf.prod(tf.mul(x, 0.5), a, k),
  };
  const cases: Array<[number[], number | number[]]> = [
    [[128, 1024], 0], [[128, 1024], 1], [[128, 1024], -1], [[4, 5, 6], [0, 1]], [[4, 5, 6], [1, 2]], [[4, 5, 6], [0, 2]],
    [[4, 5, 6], [0, 1, 2]], [[7], 0], [[1, 1], 1], [[3, 4], []],
  ];
  for (const [name, f] of Object.entries(ops)) {
    for (const [shape, axis] of cases) {
      for (const keep of [false, true]) await compare(`${name} ${shape} axis=${axis} keep=${keep}`, [{ shape }], (x) => f(x!, axis, keep));
    }
  }
  await compare('sum of empty', [{ shape: [0, 3] }], (x) => tf.sum(x!, 0));
});

test('softmax and logSoftmax', { skip }, async () => {
  for (const shape of [[5, 10], [2, 3, 7], [1, 1], [4, 1]]) {
    await compare(`softmax ${shape}`, [{ shape }], (x) => tf.softmax(tf.mul(x!, 10)));
    await compare(`logSoftmax ${shape}`, [{ shape }], (x) => tf.logSoftmax(tf.mul(x!, 10)));
  }
});

test('gather and unsortedSegmentSum', { skip }, async () => {
  await compare('gather rows', [{ shape: [10, 4] }, { shape: [6], dtype: 'int32', values: [0, 9, 3, 3, 1, 0] }], (x, i) => tf.gather(x!, i!, 0));
  await compare('gather axis 1', [{ shape: [3, 10, 2] }, { shape: [2, 2], dtype: 'int32', values: [4, 0, 9, 4] }], (x, i) => tf.gather(x!, i!, 1));
  await compare('gather 1-d', [{ shape: [5] }, { shape: [3], dtype: 'int32', values: [4, 4, 0] }], (x, i) => tf.gather(x!, i!));
  await compare('gather none', [{ shape: [5, 2] }, { shape: [0], dtype: 'int32', values: [] }], (x, i) => tf.gather(x!, i!));
  await compare('segmentSum', [{ shape: [6, 3] }, { shape: [6], dtype: 'int32', values: [2, 0, 2, 4, 0, 1] }], (x, s) => tf.unsortedSegmentSum(x!, s as tf.Tensor1D, 5));
  await compare('segmentSum 1-d', [{ shape: [4] }, { shape: [4], dtype: 'int32', values: [1, 1, 0, 1] }], (x, s) => tf.unsortedSegmentSum(x!, s as tf.Tensor1D, 3));
});

test('gradients through native kernels equal the cpu backend', { skip }, async () => {
  await compare('grad of mlp', [{ shape: [8, 5] }, { shape: [5, 6] }, { shape: [6] }, { shape: [6, 3] }], (x, w1, b1, w2) => {
    const g = tf.grads((w: tf.Tensor, b: tf.Tensor, v: tf.Tensor) =>
      tf.mean(tf.square(tf.matMul(tf.tanh(tf.add(tf.matMul(x!, w), b)), v))));
    const [gw, gb, gv] = g([w1!, b1!, w2!]);
    return tf.concat([gw!.flatten(), gb!.flatten(), gv!.flatten()]);
  });
  await compare('grad of gather', [{ shape: [7, 3] }, { shape: [5], dtype: 'int32', values: [1, 1, 6, 0, 2] }], (x, i) =>
    tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.gather(t, i!))))(x!));
});

test('transpose and slice', { skip }, async () => {
  await compare('transpose 2d', [{ shape: [33, 17] }], (x) => tf.transpose(x!));
  await compare('transpose 4d', [{ shape: [2, 3, 4, 5] }], (x) => tf.transpose(x!, [2, 0, 3, 1]));
  await compare('transpose empty', [{ shape: [0, 3] }], (x) => tf.transpose(x!));
  await compare('slice', [{ shape: [6, 7, 8] }], (x) => tf.slice(x!, [1, 2, 3], [4, -1, 2]));
  await compare('slice contiguous', [{ shape: [6, 7] }], (x) => tf.slice(x!, [2, 0], [3, 7]));
  await compare('split', [{ shape: [6, 10] }], (x) => tf.concat(tf.split(x!, [3, 7], 1).map((t) => t.flatten()), 0));
  await compare('split 3-d middle axis', [{ shape: [4, 9, 5] }], (x) => tf.concat(tf.split(x!, [2, 0, 7], 1).map((t) => t.flatten()), 0));
  await compare('split even, last axis', [{ shape: [3, 12] }], (x) => tf.concat(tf.split(x!, 3, -1).map((t) => t.flatten()), 0));
  await compare('split gradient', [{ shape: [5, 8] }, { shape: [5, 3] }], (x, w) =>
    tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.split(t, [5, 3], 1)[1]!, w!)))(x!));
});

test('the buffer pool never hands out memory still in use', { skip }, async () => {
  const prev = tf.getBackend();
  await tf.setBackend(NATIVE_BACKEND);
  try {
    const a = tf.tensor(rng.uniformArray(4096), [64, 64]);
    const view = tf.slice(a, [0, 0], [64, 64]); // may share a's buffer in the cpu kernel
    const kept = Float32Array.from(view.dataSync());
    const escaped = tf.tanh(a).dataSync();
    const escapedCopy = Float32Array.from(escaped);
    a.dispose();
    for (let i = 0; i < 20; i++) tf.tidy(() => tf.tanh(tf.add(tf.ones([64, 64]), tf.ones([64, 64]))));
    assert.deepEqual(Float32Array.from(view.dataSync()), kept);
    assert.deepEqual(Float32Array.from(escaped), escapedCopy);
    view.dispose();
  } finally {
    await tf.setBackend(prev);
  }
});

test('one-kernel activation gradients equal tfjs formulas (tanh, sigmoid, relu)', { skip }, async () => {
  for (const [name, f] of Object.entries({ tanh: tf.tanh, sigmoid: tf.sigmoid, relu: tf.relu })) {
    await compare(`${name} grad`, [{ shape: [17, 33] }, { shape: [17, 33] }], (x, w) =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), w!)))(x!));
  }
});

test('every cpu kernel is registered for the native backend, the listed ones replaced natively', { skip }, async () => {
  const { NATIVE_KERNEL_NAMES } = await import('./kernels/index');
  const cpu = tf.getKernelsForBackend('cpu');
  for (const k of cpu) assert.ok(tf.getKernel(k.kernelName, NATIVE_BACKEND), `${k.kernelName} missing on native`);
  for (const name of NATIVE_KERNEL_NAMES) {
    const n = tf.getKernel(name, NATIVE_BACKEND), c = tf.getKernel(name, 'cpu');
    assert.ok(n && c && n.kernelFunc !== c.kernelFunc, `${name} is not a native override`);
  }
});

test("every one of the library's kernels has its own native version, and a cpu and webgl one", { skip }, async () => {
  const { CPU_KERNELS } = await import('../register');
  for (const k of CPU_KERNELS) {
    const n = tf.getKernel(k.kernelName, NATIVE_BACKEND);
    assert.ok(n && n.kernelFunc !== k.kernelFunc, `${k.kernelName} has no native kernel of its own`);
    for (const b of ['cpu', 'webgl']) assert.ok(tf.getKernel(k.kernelName, b), `${k.kernelName} is not registered for ${b}`);
  }
});
