import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { fdCheck } from '../../../test/helpers';
import { Rng } from '../rng';
import { linearOp } from './linear';
import { linearRelu } from './linear_relu';

const rng = new Rng(7);
const rand = (shape: [number, number] | [number]) => tf.tensor(rng.uniformArray(shape.reduce((a, b) => a * b, 1), -1, 1), shape);
const same = (a: tf.Tensor, b: tf.Tensor, what: string) => assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()), what);

/** The ops a layer ran before the fused kernels: linear (+ matMul of the second input, add), relu. */
const composite = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, x2?: tf.Tensor, w2?: tf.Tensor) => {
  const a = linearOp(x, w, b);
  return tf.relu(x2 ? tf.add(a, tf.matMul(x2 as tf.Tensor2D, w2 as tf.Tensor2D)) : a);
};

for (const [N, K, M, K2] of [[37, 19, 24, 0], [300, 63, 40, 27], [64, 1, 16, 1], [5, 8, 3, 2]] as const) {
  test(`linearRelu [${N}, ${K}]·[${K}, ${M}]${K2 ? ` + [${N}, ${K2}]·[${K2}, ${M}]` : ''}: forward and every gradient bit-identical to the ops it fuses`, () => {
    tf.tidy(() => {
      const x = rand([N, K]), w = rand([K, M]), b = rand([M]);
      const x2 = K2 ? rand([N, K2]) : undefined, w2 = K2 ? rand([K2, M]) : undefined;
      const r = rand([N, M]);
      const args = [x, w, b, ...(K2 ? [x2!, w2!] : [])];
      const fused = (...a: tf.Tensor[]) => linearRelu(a[0]!, a[1]!, a[2]!, K2 ? { x: a[3]!, w: a[4]! } : undefined);
      const plain = (...a: tf.Tensor[]) => composite(a[0]!, a[1]!, a[2]!, a[3], a[4]);
      const y = fused(...args);
      same(y, plain(...args), 'forward');
      assert.ok(y.dataSync().some((v) => v === 0) && y.dataSync().some((v) => v > 0), 'some units are cut by the relu, some pass');
      const loss = (f: (...a: tf.Tensor[]) => tf.Tensor) => (...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), r)) as tf.Scalar;
      const gf = tf.grads(loss(fused))(args), gp = tf.grads(loss(plain))(args);
      gf.forEach((g, i) => same(g, gp[i]!, `gradient of input ${i}`));
    });
  });
}

test('linearRelu: gradients match finite differences', () => {
  const x = rand([6, 4]), w = rand([4, 5]), b = rand([5]), x2 = rand([6, 3]), w2 = rand([3, 5]), r = rand([6, 5]);
  fdCheck((xa, wa, ba, x2a, w2a) => tf.sum(tf.mul(linearRelu(xa!, wa!, ba!, { x: x2a!, w: w2a! }), r)) as tf.Scalar, [x, w, b, x2, w2], 1e-3, 2e-2);
  tf.dispose([x, w, b, x2, w2, r]);
});

test('linearRelu: an input that needs no gradient (data, or a DFA-detached point) costs no da·wᵀ product', async () => {
  const x = rand([50, 8]), w = tf.variable(rand([8, 6])), b = tf.variable(rand([6])), x2 = rand([50, 3]), w2 = tf.variable(rand([3, 6]));
  const prof = await tf.profile(() => {
    const { value, grads } = tf.variableGrads(() => tf.sum(linearRelu(x, w, b, { x: x2, w: w2 })) as tf.Scalar, [w, b, w2]);
    tf.dispose([value, ...Object.values(grads)]);
  });
  // after the gradient kernel (relu mask and bias sum), the backward forms dW and dW2 only
  const names = prof.kernels.map((k) => k.name);
  const backward = names.slice(names.lastIndexOf('DfaLinearReluGrad') + 1);
  assert.deepEqual(backward.filter((n) => n === 'BatchMatMul').length, 2, names.join(' '));
  tf.dispose([x, w, b, x2, w2]);
});

test('linearRelu: shapes are checked', () => {
  const x = rand([4, 3]), w = rand([3, 2]);
  assert.throws(() => linearRelu(x, w, rand([3])), /bias \[3\] does not fit w \[3,2\]/);
  assert.throws(() => linearRelu(x, w, rand([2]), { x: rand([5, 2]), w: rand([2, 2]) }), /the second input \[5,2\]/);
});
