/**
 * The library's kernels on tfjs's cpu backend (src/engine/cpu) against the computations the library
 * ran before they existed (the composites and their tfjs autodiff, the old custom gradients): values
 * and gradients bit for bit, so plain-cpu numbers do not move; random shapes with sizes 0, 1 and odd
 * ones. The LNN activation's gradient is the one documented exception (exp(z) taken as y + 1).
 * Then every op's gradient against finite differences on the current backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fdCheck, maxRelErr, onBackend } from '../../../test/helpers';
import { Rng } from '../rng';
import { linearOp } from '../ops/linear';
import { layerNorm } from '../ops/layer_norm';
import { batchNormTrain } from '../ops/batch_norm';
import { scaledSoftmax } from '../ops/scaled_softmax';
import { seededDropout, dropoutMask } from '../ops/dropout';
import { causalAttention } from '../ops/causal_attention';
import { lnnActivation } from '../ops/lnn_activation';
import { logSoftmax } from '../ops/log_softmax';
import { sparseSoftmaxCrossEntropy } from '../ops/sparse_softmax_cross_entropy';
import { layerNormComposite } from './layer_norm';
import { batchNormTrainComposite } from './batch_norm';
import { scaledSoftmaxComposite } from './scaled_softmax';
import { causalAttentionComposite } from './causal_attention';
import { lnnActivationComposite } from './lnn_activation';

const rng = new Rng(2024);
type F = (...xs: tf.Tensor[]) => tf.Tensor;
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** y = f(xs) and the gradients of sum(f(xs) · R) on the cpu backend, as plain arrays. */
function valueAndGrads(f: F, data: Float32Array[], shapes: number[][], r: Float32Array): Promise<Float32Array[]> {
  return onBackend('cpu', () => tf.tidy(() => {
    const xs = data.map((d, i) => tf.tensor(d, shapes[i]));
    const y = f(...xs);
    const R = tf.tensor(r, y.shape);
    const gs = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), R)))(xs);
    return [y, ...gs].map((t) => Float32Array.from(t.dataSync() as Float32Array));
  }));
}

/** The op and its reference on the same random data: values and every gradient bit for bit. */
async function sameBits(label: string, shapes: number[][], op: F, ref: F, lo = -3, hi = 3): Promise<void> {
  const data = shapes.map((s) => rng.uniformArray(size(s), lo, hi));
  const outSize = await onBackend('cpu', () => tf.tidy(() => op(...data.map((d, i) => tf.tensor(d, shapes[i]))).size));
  const r = rng.normalArray(outSize);
  const got = await valueAndGrads(op, data, shapes, r);
  const want = await valueAndGrads(ref, data, shapes, r);
  got.forEach((g, i) => assert.deepEqual(new Uint32Array(g.buffer), new Uint32Array(want[i]!.buffer), `${label}: ${i === 0 ? 'value' : `gradient ${i}`} differs`));
}

test('DfaLinear: matMul + add, bit for bit', async () => {
  for (const [x, i, o] of [[[0, 3], 3, 4], [[1, 1], 1, 1], [[5, 7], 7, 3], [[64, 33], 33, 1]] as Array<[number[], number, number]>) {
    await sameBits(`linear [${x}]x[${i},${o}]`, [x, [i, o], [o]], (a, w, b) => linearOp(a!, w!, b!), (a, w, b) => tf.add(tf.matMul(a as tf.Tensor2D, w as tf.Tensor2D), b!));
  }
});

test('DfaLayerNorm: the composite and its autodiff, bit for bit', async () => {
  for (const shape of [[1], [3, 1], [0, 4], [3, 5], [2, 7, 33], [1, 256], [4, 1, 9]]) {
    const C = shape[shape.length - 1]!;
    await sameBits(`layerNorm [${shape}]`, [shape, [C], [C]], (x, g, b) => layerNorm(x!, g!, b!), (x, g, b) => layerNormComposite(x!, g!, b!));
  }
});

test('DfaBatchNorm: the composite and its autodiff, bit for bit (y, statistics, gradients)', async () => {
  for (const [N, C] of [[1, 3], [2, 1], [2, 3], [5, 1], [33, 17]] as const) { // N = 0: the composite's own autodiff throws
    const shapes = [[N, C], [C], [C]];
    await sameBits(`batchNorm [${N}, ${C}]`, shapes, (x, g, b) => batchNormTrain(x as tf.Tensor2D, g!, b!).y, (x, g, b) => batchNormTrainComposite(x as tf.Tensor2D, g!, b!).y);
    const xv = rng.uniformArray(N * C, -2, 2);
    const stats = (f: typeof batchNormTrain) => onBackend('cpu', () => tf.tidy(() => {
      const r = f(tf.tensor2d(xv, [N, C]), tf.ones([C]), tf.zeros([C]));
      return [r.mean, r.variance].map((t) => Array.from(t.dataSync()));
    }));
    assert.deepEqual(await stats(batchNormTrain), await stats(batchNormTrainComposite), `batchNorm [${N}, ${C}] statistics`);
  }
});

test('DfaScaledSoftmax: scale, causal mask and softmax, and their autodiff, bit for bit', async () => {
  for (const [shape, causal] of [[[1], false], [[1, 1], true], [[0, 5], false], [[4, 9], false], [[3, 6, 6], true], [[2, 5, 8], true], [[2, 17, 17], false]] as Array<[number[], boolean]>) {
    const scale = 0.1 + rng.next();
    await sameBits(`scaledSoftmax [${shape}] causal ${causal}`, [shape], (x) => scaledSoftmax(x!, scale, causal), (x) => scaledSoftmaxComposite(x!, scale, causal));
  }
});

test('DfaDropout: x times the mask and its autodiff, bit for bit', async () => {
  for (const [shape, rate] of [[[0], 0.5], [[1], 0.1], [[7, 33], 0.3], [[2, 3, 5], 0.9]] as Array<[number[], number]>) {
    const key = { k0: rng.nextUint32(), k1: rng.nextUint32() };
    await sameBits(`dropout [${shape}] p ${rate}`, [shape], (x) => seededDropout(x!, rate, key), (x) => tf.mul(x!, tf.tensor(dropoutMask(x!.size, rate, key), x!.shape)));
  }
});

test('DfaCausalAttention: the composite and its autodiff, bit for bit, with and without dropout', async () => {
  for (const [B, T, H, dh, rate] of [[1, 1, 1, 1, 0], [0, 3, 1, 2, 0], [2, 5, 2, 3, 0], [1, 7, 3, 4, 0.3], [2, 33, 1, 3, 0.1], [3, 16, 4, 8, 0.5]] as number[][]) {
    const drop = rate! > 0 ? { rate: rate!, key: { k0: rng.nextUint32(), k1: rng.nextUint32() } } : null;
    await sameBits(`attention B${B} T${T} H${H} dh${dh} p${rate}`, [[B!, T!, 3 * H! * dh!]],
      (x) => causalAttention(x as tf.Tensor3D, H!, drop), (x) => causalAttentionComposite(x as tf.Tensor3D, H!, drop));
  }
});

test('DfaLogSoftmax and DfaSparseSoftmaxCE: the old tfjs-op paths, bit for bit', async () => {
  const oldLogSoftmax = tf.customGrad(((t: tf.Tensor, save: tf.GradSaveFunc) => {
    const y = tf.sub(t, tf.logSumExp(t, -1, true));
    save([y]);
    return { value: y, gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => [tf.sub(dy, tf.mul(tf.sum(dy, -1, true), tf.exp(s!)))] };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as F;
  for (const shape of [[1], [0, 4], [5, 1], [3, 10], [2, 3, 7]]) await sameBits(`logSoftmax [${shape}]`, [shape], (x) => logSoftmax(x!), oldLogSoftmax, -10, 10);

  for (const [lead, C] of [[[1], 2], [[4], 7], [[2, 3], 5], [[33], 2]] as Array<[number[], number]>) {
    const labels = Int32Array.from({ length: size(lead) }, () => rng.int(C));
    const y = () => tf.tensor(labels, lead, 'int32');
    const oldCE = tf.customGrad(((lg: tf.Tensor, save: tf.GradSaveFunc) => {
      const N = labels.length;
      const lsm = tf.logSoftmax(tf.reshape(lg, [N, C]));
      const onehot = tf.oneHot(tf.reshape(y(), [N]), C);
      const value = tf.neg(tf.div(tf.sum(tf.mul(lsm, onehot)), Math.max(N, 1)));
      save([tf.reshape(tf.div(tf.sub(tf.exp(lsm), onehot), Math.max(N, 1)), lg.shape)]);
      return { value, gradFunc: (dy: tf.Tensor, [g]: tf.Tensor[]) => [tf.mul(dy, g!)] };
    }) as unknown as Parameters<typeof tf.customGrad>[0]) as F;
    await sameBits(`sparse CE [${lead}, ${C}]`, [[...lead, C]], (l) => sparseSoftmaxCrossEntropy(l!, y()), oldCE, -5, 5);
  }
});

test('DfaTanhGrad, DfaSigmoidGrad, DfaReluGrad: tfjs formulas, bit for bit', async () => {
  const formulas: Record<string, [F, (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor]> = {
    tanh: [tf.tanh, (dy, x) => tf.mul(tf.sub(tf.scalar(1), tf.square(tf.tanh(x))), dy)],
    sigmoid: [tf.sigmoid, (dy, x) => tf.mul(dy, tf.mul(tf.sigmoid(x), tf.sub(tf.scalar(1), tf.sigmoid(x))))],
    relu: [tf.relu, (dy, x) => tf.mul(dy, tf.cast(tf.step(x), 'float32'))],
  };
  for (const [name, [f, formula]] of Object.entries(formulas)) {
    for (const shape of [[0], [1], [17, 33]]) {
      const xv = rng.uniformArray(size(shape), -3, 3), r = rng.normalArray(size(shape));
      const [got, want] = await onBackend('cpu', () => tf.tidy(() => {
        const x = tf.tensor(xv, shape), R = tf.tensor(r, shape);
        return [tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), R)))(x), formula(R, x)].map((t) => Float32Array.from(t.dataSync() as Float32Array));
      }));
      assert.deepEqual(new Uint32Array(got!.buffer), new Uint32Array(want!.buffer), `${name} [${shape}]`);
    }
  }
});

test('DfaLnnExp: the composite bit for bit; its gradient from y + 1 within float32 rounding of the autodiff', async () => {
  for (const [B, D, L] of [[1, 1, 1], [3, 2, 5], [4, 10, 37]] as const) {
    const data = [rng.uniformArray(B * D * L, -2, 2)], shapes = [[B * D, L]], r = rng.normalArray(B * D * L);
    const [y, g] = await valueAndGrads((z) => lnnActivation(z as tf.Tensor2D, D), data, shapes, r);
    const [yRef, gRef] = await valueAndGrads((z) => lnnActivationComposite(z as tf.Tensor2D, D), data, shapes, r);
    assert.deepEqual(new Uint32Array(y!.buffer), new Uint32Array(yRef!.buffer), `value [${B},${D},${L}]`);
    assert.ok(maxRelErr(g!, gRef!) < 1e-6, `gradient [${B},${D},${L}]: ${maxRelErr(g!, gRef!)}`);
  }
});

test(`every op's gradient matches finite differences (${tf.getBackend()})`, () => {
  const t = (shape: number[], lo = -2, hi = 2) => tf.tensor(rng.uniformArray(size(shape), lo, hi), shape);
  const weighted = (f: F, outShape: number[]) => {
    const R = t(outShape);
    return (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), R)) as tf.Scalar;
  };
  tf.tidy(() => {
    fdCheck(weighted((x, g, b) => layerNorm(x!, g!, b!), [3, 5]), [t([3, 5]), t([5], 0.5, 2), t([5])]);
    fdCheck(weighted((x, g, b) => batchNormTrain(x as tf.Tensor2D, g!, b!).y, [6, 3]), [t([6, 3]), t([3], 0.5, 2), t([3])]);
    fdCheck(weighted((x) => scaledSoftmax(x!, 0.7, true), [2, 4, 4]), [t([2, 4, 4])]);
    const drop = { rate: 0.25, key: { k0: 3, k1: 4 } };
    fdCheck(weighted((x) => causalAttention(x as tf.Tensor3D, 2, drop), [2, 4, 4]), [t([2, 4, 12])]);
    fdCheck(weighted((z) => lnnActivation(z as tf.Tensor2D, 2), [2, 6]), [t([4, 3], 0.2, 1.5)]);
    fdCheck(weighted((x) => logSoftmax(x!), [3, 4]), [t([3, 4])]);
    fdCheck(weighted((x) => seededDropout(x!, 0.4, { k0: 9, k1: 1 }), [20]), [t([20])]);
    fdCheck(weighted((x, w, b) => linearOp(x!, w!, b!), [4, 2]), [t([4, 3]), t([3, 2]), t([2])]);
    for (const f of [tf.tanh, tf.sigmoid, tf.relu]) fdCheck(weighted(f, [11]), [t([11], 0.1, 2)]);
  });
});
