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

test('the pool serves a repeated step from freed buffers: no fresh allocation after the first, live bytes back to where they were; release() returns scratch', { skip }, async () => {
  const prev = tf.getBackend();
  await tf.setBackend(NATIVE_BACKEND);
  try {
    const b = tf.backend() as unknown as import('./native_backend').NativeBackend;
    const x = tf.tensor(rng.uniformArray(256 * 64), [256, 64]);
    const w = tf.tensor(rng.uniformArray(64 * 64), [64, 64]);
    const step = () => tf.tidy(() => {
      let h: tf.Tensor = x;
      for (let i = 0; i < 4; i++) h = tf.relu(tf.matMul(h as tf.Tensor2D, w as tf.Tensor2D));
      return tf.sum(h).dataSync()[0];
    });
    step();
    const s0 = b.poolStats();
    for (let i = 0; i < 3; i++) step();
    const s1 = b.poolStats();
    assert.equal(s1.freshAllocs, s0.freshAllocs, 'every buffer of the later steps came from the pool');
    assert.equal(s1.liveBytes, s0.liveBytes);
    assert.ok(s1.peakLiveBytes >= 8 * 256 * 64 * 4, `peak ${s1.peakLiveBytes}`);
    const scratch = b.alloc(5000);
    b.release(scratch);
    const again = b.alloc(5000);
    assert.equal(again, scratch, 'a released buffer is handed out again');
    b.release(again);
    tf.dispose([x, w]);
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

// ------------------------------------------------------------------ convolutions and pooling

type Pad4 = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase { x: number[]; f: number[]; s: number | [number, number]; pad: Pad4; d?: number | [number, number]; round?: 'floor' | 'round' | 'ceil' }

const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 11, 3], f: [3, 3, 3, 5], s: 1, pad: 'same' },
  { x: [1, 7, 7, 1], f: [5, 5, 1, 4], s: 2, pad: 'valid' },
  { x: [3, 8, 6, 4], f: [2, 3, 4, 6], s: [2, 1], pad: 'same' },
  { x: [2, 10, 9, 2], f: [3, 3, 2, 3], s: 1, pad: 'valid', d: 2 },
  { x: [2, 8, 8, 3], f: [3, 2, 3, 2], s: 1, pad: 'same', d: [2, 3] },
  { x: [2, 6, 7, 5], f: [1, 1, 5, 7], s: 1, pad: 'valid' },
  { x: [2, 6, 7, 5], f: [1, 1, 5, 7], s: 2, pad: 'same' },
  { x: [1, 1, 1, 3], f: [1, 1, 3, 2], s: 1, pad: 'same' },
  { x: [1, 1, 1, 1], f: [3, 3, 1, 1], s: 1, pad: 'same' },
  { x: [2, 5, 6, 3], f: [3, 2, 3, 4], s: [1, 2], pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { x: [4, 5, 5, 3], f: [5, 5, 3, 2], s: 3, pad: 'same' },
  { x: [2, 7, 8, 2], f: [3, 3, 2, 3], s: 2, pad: 1, round: 'ceil' },
  { x: [33, 12, 12, 8], f: [3, 3, 8, 16], s: 1, pad: 'same' }, // several column-matrix chunks
  // few input channels, unit width stride: the direct path (native/src/conv.c)
  { x: [3, 12, 20, 1], f: [5, 5, 1, 6], s: 1, pad: 'same' },
  { x: [2, 10, 17, 2], f: [3, 4, 2, 7], s: [2, 1], pad: [[0, 0], [1, 1], [2, 1], [0, 0]] },
  { x: [2, 9, 12, 4], f: [3, 3, 4, 5], s: 1, pad: 'valid', d: [1, 2] },
  { x: [5, 8, 40, 3], f: [2, 3, 3, 9], s: 1, pad: 'same' },
  { x: [2, 9, 16, 1], f: [4, 3, 1, 7], s: [2, 1], pad: 'same' },
  // many channels: the register-tiled kernel (native/src/conv_tiles.c), forward and stride-1 input gradients
  { x: [3, 9, 11, 8], f: [3, 3, 8, 24], s: 1, pad: 'same' },
  { x: [2, 10, 9, 12], f: [3, 2, 12, 40], s: [2, 1], pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [2, 11, 13, 9], f: [3, 3, 9, 33], s: 1, pad: 'valid', d: 2 },
  { x: [2, 5, 5, 16], f: [1, 1, 16, 32], s: 2, pad: 'same' },
  { x: [2, 9, 10, 24], f: [3, 3, 24, 8], s: 1, pad: 'same' },
  { x: [2, 8, 9, 32], f: [3, 3, 32, 16], s: 1, pad: 'valid' },
  { x: [1, 7, 7, 25], f: [2, 3, 25, 9], s: 1, pad: [[0, 0], [0, 1], [2, 0], [0, 0]] },
  // channels multiples of 8 and 32: the tiled filter gradient too
  { x: [3, 9, 10, 16], f: [3, 3, 16, 32], s: 1, pad: 'same' },
  { x: [2, 12, 11, 8], f: [3, 2, 8, 64], s: [2, 1], pad: [[0, 0], [2, 1], [0, 1], [0, 0]] },
  { x: [2, 7, 9, 24], f: [2, 2, 24, 32], s: 2, pad: 'valid' },
  { x: [3, 14, 14, 6], f: [5, 5, 6, 16], s: 1, pad: 'valid' }, // LeNet's second layer (6 x 16 tiles, scatter dx)
  { x: [2, 9, 11, 4], f: [3, 5, 4, 10], s: [2, 3], pad: 'same' }, // scatter dx with strides and edges
  { x: [2, 8, 8, 16], f: [2, 4, 16, 5], s: 1, pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [2, 9, 8, 12], f: [3, 3, 12, 16], s: 2, pad: 'same' },
];
for (let i = 0; i < 6; i++) {
  const [h, w, c, co, k] = [1 + rng.int(9), 1 + rng.int(9), 1 + rng.int(6), 1 + rng.int(6), 1 + rng.int(4)];
  CONV_CASES.push({ x: [1 + rng.int(3), h, w, c], f: [k, 1 + rng.int(4), c, co], s: [1 + rng.int(3), 1 + rng.int(3)], pad: rng.next() < 0.5 ? 'same' : 'valid' });
}
const label = (c: ConvCase) => `x ${c.x} f ${c.f} s ${c.s} pad ${JSON.stringify(c.pad)} d ${c.d ?? 1}${c.round ? ` ${c.round}` : ''}`;
const dilated = (c: ConvCase) => !allOneAttr(c.d);
function allOneAttr(v: number | number[] | undefined): boolean {
  return v === undefined || (Array.isArray(v) ? v.every((d) => d === 1) : v === 1);
}
type Conv4 = [tf.Tensor4D, tf.Tensor4D];
/** The shape of f's result (computed on zeros, then freed). */
function shapeOf(f: () => tf.Tensor): number[] {
  const t = tf.tidy(f);
  const s = t.shape.slice();
  t.dispose();
  return s;
}
const as4 = (x: tf.Tensor, f: tf.Tensor): Conv4 => [x as tf.Tensor4D, f as tf.Tensor4D];

test('Conv2D: strides, same/valid/explicit padding, dilations, 1x1, sizes 1, odd shapes', { skip }, async () => {
  for (const c of CONV_CASES) {
    await compare(`conv2d ${label(c)}`, [{ shape: c.x }, { shape: c.f }], (x, f) =>
      tf.conv2d(...as4(x!, f!), c.s, c.pad as 'same', 'NHWC', c.d ?? 1, c.round));
  }
});

test('Conv2DBackpropInput and Conv2DBackpropFilter (the gradients of conv2d)', { skip }, async () => {
  for (const c of CONV_CASES.filter((k) => !dilated(k))) {
    const outShape = shapeOf(() => tf.conv2d(...as4(tf.zeros(c.x), tf.zeros(c.f)), c.s, c.pad as 'same', 'NHWC', 1, c.round));
    await compare(`conv2d grads ${label(c)}`, [{ shape: c.x }, { shape: c.f }, { shape: outShape }], (x, f, w) => {
      const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(...as4(a, b), c.s, c.pad as 'same', 'NHWC', 1, c.round), w!)))([x!, f!]);
      return tf.concat([gx!.flatten(), gf!.flatten()]);
    });
    await compare(`conv2dTranspose ${label(c)}`, [{ shape: outShape }, { shape: c.f }], (dy, f) =>
      tf.conv2dTranspose(dy as tf.Tensor4D, f as tf.Tensor4D, c.x as [number, number, number, number], c.s as number, c.pad as 'same', c.round));
  }
});

test('FusedConv2D with bias and activations', { skip }, async () => {
  const cases: ConvCase[] = [CONV_CASES[0]!, CONV_CASES[2]!, CONV_CASES[5]!, CONV_CASES[9]!];
  for (const c of cases) {
    for (const activation of ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
      await compare(`fused conv2d ${activation} ${label(c)}`, [{ shape: c.x }, { shape: c.f }, { shape: [c.f[3]!] }], (x, f, b) =>
        tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: c.s, pad: c.pad as 'same', bias: b, activation, leakyreluAlpha: 0.1 }));
    }
    await compare(`fused conv2d scalar bias ${label(c)}`, [{ shape: c.x }, { shape: c.f }, { shape: [] }], (x, f, b) =>
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: c.s, pad: c.pad as 'same', bias: b, activation: 'relu' }));
  }
});

test('DepthwiseConv2dNative and its two gradients: multipliers, strides, dilations, padding', { skip }, async () => {
  const cases: ConvCase[] = [
    { x: [2, 9, 11, 3], f: [3, 3, 3, 1], s: 1, pad: 'same' },
    { x: [2, 9, 8, 4], f: [3, 2, 4, 3], s: 2, pad: 'valid' },
    { x: [1, 7, 7, 2], f: [5, 5, 2, 2], s: [1, 2], pad: 'same' },
    { x: [3, 10, 9, 3], f: [3, 3, 3, 1], s: 1, pad: 'valid', d: 2 },
    { x: [1, 1, 1, 5], f: [1, 1, 5, 2], s: 1, pad: 'same' },
    { x: [2, 6, 5, 2], f: [3, 3, 2, 2], s: 2, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] },
    { x: [2, 7, 8, 3], f: [3, 3, 3, 1], s: 2, pad: 1, round: 'floor' },
  ];
  for (const c of cases) {
    const run = (x: tf.Tensor, f: tf.Tensor) => tf.depthwiseConv2d(...as4(x, f), c.s, c.pad as 'same', 'NHWC', c.d ?? 1, c.round);
    await compare(`depthwise ${label(c)}`, [{ shape: c.x }, { shape: c.f }], run);
    if (dilated(c)) continue;
    const outShape = shapeOf(() => run(tf.zeros(c.x), tf.zeros(c.f)));
    await compare(`depthwise grads ${label(c)}`, [{ shape: c.x }, { shape: c.f }, { shape: outShape }], (x, f, w) => {
      const [gx, gf] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(run(a, b), w!)))([x!, f!]);
      return tf.concat([gx!.flatten(), gf!.flatten()]);
    });
  }
});

test('MaxPool, AvgPool and their gradients (ties go to the first maximum, as tfjs)', { skip }, async () => {
  const cases: Array<{ x: number[]; k: number | [number, number]; s: number | [number, number]; pad: Pad4; round?: 'floor' | 'round' | 'ceil' }> = [
    { x: [2, 8, 8, 3], k: 2, s: 2, pad: 'valid' },
    { x: [2, 9, 7, 4], k: 3, s: 2, pad: 'same' },
    { x: [1, 5, 6, 2], k: [2, 3], s: [1, 2], pad: 'same' },
    { x: [3, 7, 7, 1], k: 3, s: 1, pad: 'valid' },
    { x: [1, 1, 1, 3], k: 1, s: 1, pad: 'same' },
    { x: [2, 6, 6, 5], k: 1, s: 2, pad: 'valid' },
    { x: [2, 7, 8, 3], k: 3, s: 2, pad: 1, round: 'ceil' },
    { x: [1, 3, 3, 2], k: 4, s: 1, pad: 'same' },
    // multiples of 16 channels: the gradient takes the forward's maximum 16 channels at a time
    { x: [2, 6, 7, 16], k: 2, s: 2, pad: 'valid' },
    { x: [1, 5, 5, 32], k: 3, s: 2, pad: 'same' },
  ];
  for (const c of cases) {
    const n = c.x.reduce((a, b) => a * b, 1);
    // integers in [-2, 2]: windows with equal maxima (as after a ReLU)
    const ties = Array.from(rng.uniformArray(n, -2, 2), Math.round);
    for (const kind of ['max', 'avg'] as const) {
      const pool = (x: tf.Tensor) => (kind === 'max' ? tf.maxPool : tf.avgPool)(x as tf.Tensor4D, c.k, c.s, c.pad as 'same', c.round);
      const what = `${kind}Pool x ${c.x} k ${c.k} s ${c.s} pad ${JSON.stringify(c.pad)}`;
      await compare(what, [{ shape: c.x }], pool);
      const outShape = shapeOf(() => pool(tf.zeros(c.x)));
      for (const values of [undefined, ties]) {
        await compare(`${what} grad${values ? ' (ties)' : ''}`, [{ shape: c.x, values }, { shape: outShape }], (x, w) =>
          tf.grad((t: tf.Tensor) => tf.sum(tf.mul(pool(t), w!)))(x!));
      }
    }
  }
});

test('Tile: broadcasts (dims of size 1 repeated) natively, other tilings as tfjs', { skip }, async () => {
  await compare('broadcastTo channels over positions', [{ shape: [3, 1, 1, 5] }], (x) => tf.broadcastTo(x!, [3, 4, 6, 5]));
  await compare('broadcastTo leading', [{ shape: [4] }], (x) => tf.broadcastTo(x!, [2, 3, 4]));
  await compare('tile of size-1 dims', [{ shape: [2, 1, 3] }], (x) => tf.tile(x!, [1, 4, 1]));
  await compare('tile of a full dim (cpu kernel)', [{ shape: [2, 3] }], (x) => tf.tile(x!, [2, 2]));
  await compare('tile gradient', [{ shape: [3, 1, 1, 5] }, { shape: [3, 4, 6, 5] }], (x, w) =>
    tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.broadcastTo(t, [3, 4, 6, 5]), w!)))(x!));
});

test('MaxPool gradient of windows whose maximum is -inf: no tap takes dy, as tfjs', { skip }, async () => {
  const v = Array.from({ length: 2 * 4 * 4 * 16 }, (_, i) => (i % 3 === 0 ? 1 : -Infinity));
  for (let i = 0; i < 4 * 4 * 16; i++) v[i] = -Infinity; // the first image: all -inf
  await compare('maxPool grad with -inf', [{ shape: [2, 4, 4, 16], values: v }, { shape: [2, 2, 2, 16] }], (x, w) =>
    tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), w!)))(x!));
});

test('a small CNN step (conv, relu, pool, dense) has the same gradients on both backends', { skip }, async () => {
  await compare('cnn grads', [{ shape: [4, 12, 12, 1] }, { shape: [3, 3, 1, 8] }, { shape: [8] }, { shape: [3, 3, 8, 16] }, { shape: [144, 10] }], (x, k1, b1, k2, wd) => {
    const [g1, gb, g2, gd] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
      let h = tf.relu(tf.add(tf.conv2d(x as tf.Tensor4D, a as tf.Tensor4D, 1, 'same'), b));
      h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      h = tf.relu(tf.conv2d(h as tf.Tensor4D, c as tf.Tensor4D, 1, 'same'));
      h = tf.avgPool(h as tf.Tensor4D, 2, 2, 'valid');
      return tf.mean(tf.square(tf.matMul(tf.reshape(h, [4, 144]), d as tf.Tensor2D)));
    })([k1!, b1!, k2!, wd!]);
    return tf.concat([g1!.flatten(), gb!.flatten(), g2!.flatten(), gd!.flatten()]);
  });
});
