/**
 * Test helpers, in one place (tests import from here instead of writing their own): comparing
 * numbers with a stated tolerance, running on a given backend, temporary folders, finite
 * differences, and the shared data's availability.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { NATIVE_BACKEND } from '../src/engine/native/name';

export { onBackend } from './on_backend';
export { hasSharedData, dataPath } from '../src/data/paths';

/** Float32 agreement of two computations of the same thing (kernels, fused vs composite). */
export const TOL_F32 = 1e-5;

type Nums = ArrayLike<number> | tf.Tensor;
const values = (x: Nums): ArrayLike<number> => (x instanceof tf.Tensor ? x.dataSync() : x);

/** max |a − b| / max |b| (0 when both are all zeros). */
export function maxRelErr(a: Nums, b: Nums): number {
  const x = values(a), y = values(b);
  assert.equal(x.length, y.length, `lengths differ: ${x.length} vs ${y.length}`);
  let num = 0, den = 0;
  for (let i = 0; i < x.length; i++) {
    num = Math.max(num, Math.abs(x[i]! - y[i]!));
    den = Math.max(den, Math.abs(y[i]!));
  }
  return den === 0 ? num : num / den;
}

/** Asserts maxRelErr(a, b) <= tol, naming what was compared. */
export function assertClose(a: Nums, b: Nums, tol = TOL_F32, what = 'values'): void {
  const e = maxRelErr(a, b);
  assert.ok(e <= tol, `${what}: relative error ${e.toExponential(2)} > ${tol}`);
}

/** Asserts |a_i − b_i| <= tol for every element. */
export function assertAllClose(a: Nums, b: Nums, tol = TOL_F32, what = 'values'): void {
  const x = values(a), y = values(b);
  assert.equal(x.length, y.length, `${what}: lengths differ: ${x.length} vs ${y.length}`);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i]! - y[i]!) <= tol, `${what}[${i}]: ${x[i]} vs ${y[i]} (tolerance ${tol})`);
}

/** Runs f with a fresh temporary folder, removed afterwards even when f throws. */
export async function withTempDir<T>(f: (dir: string) => T | Promise<T>, prefix = 'dfa-test-'): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Skip reason when the native backend is not registered (addon not built), else false. */
export function nativeSkip(): string | false {
  return tf.findBackend(NATIVE_BACKEND) ? false : 'native backend not registered (addon not built)';
}

/**
 * Central finite differences of the scalar f at every entry of each argument, against tf.grads
 * (float32: eps 1e-2 and a tolerance relative to the gradient's largest entry). Returns the worst
 * relative error.
 */
export function fdCheck(f: (...xs: tf.Tensor[]) => tf.Scalar, args: tf.Tensor[], eps = 1e-2, tol = 2e-2): number {
  const grads = tf.grads(f)(args);
  let worst = 0;
  args.forEach((a, k) => {
    const base = a.dataSync().slice() as Float32Array;
    const g = grads[k]!.dataSync();
    const scale = Math.max(1e-3, ...Array.from(g, Math.abs));
    for (let i = 0; i < base.length; i++) {
      const at = (d: number) => {
        const x = base.slice();
        x[i] = x[i]! + d;
        return tf.tidy(() => f(...args.map((b, j) => (j === k ? tf.tensor(x, a.shape) : b))).dataSync()[0]!);
      };
      const num = (at(eps) - at(-eps)) / (2 * eps);
      const err = Math.abs(num - g[i]!) / scale;
      worst = Math.max(worst, err);
      assert.ok(err < tol, `argument ${k} entry ${i}: finite difference ${num} vs gradient ${g[i]} (relative ${err.toExponential(2)})`);
    }
  });
  tf.dispose(grads);
  return worst;
}

/** Runs f with console.log and console.error captured (not printed); returns f's value and what each received. */
export async function quietly<T>(f: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = '', err = '';
  console.log = (...a: unknown[]) => { out += a.map(String).join(' ') + '\n'; };
  console.error = (...a: unknown[]) => { err += a.map(String).join(' ') + '\n'; };
  try {
    return { value: await f(), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}
