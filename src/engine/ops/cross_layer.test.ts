/**
 * Deep&Cross's fused cross layer (DfaCross): on each backend the composite's numbers bit for bit
 * (value and the gradient of every input, sizes on both sides of the threading threshold); native
 * against tfjs cpu to float rounding; the gradient lazy per input (a layer between detached
 * feedback points forms neither input gradient); x = x0 (the first layer) to float rounding (its
 * two contributions to x0's gradient are summed in another order).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { assertClose, nativeSkip, onBackend } from '../../../test/helpers';
import { Rng } from '../rng';
import { NATIVE_BACKEND } from '../native/name';
import { crossLayerComposite } from '../cpu/cross_layer';
import { crossLayer } from './cross_layer';

const SIZES = [[1, 1], [3, 5], [37, 64], [300, 624]] as const; // the last: threaded natively

type Layer = (x0: tf.Tensor2D, x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
const fused: Layer = (x0, x, w, b) => crossLayer(x0, x, w, b);
const composite: Layer = (x0, x, w, b) => crossLayerComposite(x0, x, w, b).y;

/** The layer's value and the gradients of sum(y ∘ R) for x0, x, w, b (x = x0 when `same`). */
function run(layer: Layer, B: number, D: number, same = false): Float32Array[] {
  const rng = new Rng(B * 1000 + D);
  return tf.tidy(() => {
    const x0 = tf.tensor2d(rng.normalArray(B * D), [B, D]);
    const x = same ? x0 : tf.tensor2d(rng.normalArray(B * D), [B, D]);
    const w = tf.tensor2d(rng.uniformArray(D, -0.3, 0.3), [D, 1]);
    const b = tf.tensor1d(rng.normalArray(D));
    const R = tf.tensor2d(rng.normalArray(B * D), [B, D]);
    const f = same ? (a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(layer(a as tf.Tensor2D, a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D), R))
      : (a: tf.Tensor, e: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(layer(a as tf.Tensor2D, e as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D), R));
    const grads = same ? tf.grads(f)([x0, w, b]) : tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([x0, x, w, b]);
    return [layer(x0, x, w, b), ...grads].map((t) => Float32Array.from(t.dataSync()));
  });
}

const NAMES = ['y', 'dx0', 'dx', 'dw', 'db'];

test('the fused cross layer gives the composite\'s value and gradients bit for bit (this backend)', () => {
  for (const [B, D] of SIZES) {
    const want = run(composite, B, D), got = run(fused, B, D);
    got.forEach((g, i) => assert.deepEqual(g, want[i], `[${B}, ${D}] ${NAMES[i]}`));
  }
});

test('x = x0 (the first cross layer): the same value, the gradient to float rounding', () => {
  for (const [B, D] of SIZES) {
    const want = run(composite, B, D, true), got = run(fused, B, D, true);
    assert.deepEqual(got[0], want[0], `[${B}, ${D}] y`);
    assertClose(got[1]!, want[1]!, 1e-6, `[${B}, ${D}] dx0`);
    got.slice(2).forEach((g, i) => assert.deepEqual(g, want[i + 2], `[${B}, ${D}] ${['dw', 'db'][i]}`));
  }
});

test('native against tfjs cpu: value and gradients to float rounding', { skip: nativeSkip() }, async () => {
  for (const [B, D] of SIZES) {
    const want = await onBackend('cpu', () => run(fused, B, D));
    const got = await onBackend(NATIVE_BACKEND, () => run(fused, B, D));
    got.forEach((g, i) => assertClose(g, want[i]!, 1e-5, `[${B}, ${D}] ${NAMES[i]}`));
  }
});

test('the gradient is lazy: with x0 and x detached (DFA points) only dw and db are formed', async () => {
  const rng = new Rng(3);
  const [B, D] = [16, 24];
  const x0 = tf.tensor2d(rng.normalArray(B * D), [B, D]), x = tf.tensor2d(rng.normalArray(B * D), [B, D]);
  const w = tf.variable(tf.tensor2d(rng.normalArray(D), [D, 1])), b = tf.variable(tf.zeros([D]));
  const kernels = async (vars: tf.Variable[]) => {
    const p = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(crossLayer(x0, x, w, b)) as tf.Scalar, vars);
      tf.dispose([value, ...Object.values(grads)]);
    });
    return new Set(p.kernels.map((k) => k.name));
  };
  const params = await kernels([w, b]);
  assert.ok(params.has('DfaCross') && params.has('DfaCrossGradW'), [...params].join(', '));
  assert.ok(!params.has('DfaCrossGradX'), 'no input gradient formed');
  tf.dispose([x0, x, w, b]);
});
