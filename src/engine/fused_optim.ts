/**
 * Fused optimizer updates on the native backend: one C pass per parameter instead of ~10 tfjs
 * ops (each allocating a tensor the size of the parameter). Returns false when the current
 * backend is not native (callers then use their tfjs-op path, which computes the same update).
 *
 * The parameter is updated in place when nothing else can see its buffer (the variable is the
 * only holder and its data never escaped through dataSync); otherwise the new values go to a
 * fresh buffer that the variable is assigned (copy on write).
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from './native/native_backend';
import { NATIVE_BACKEND } from './native/register';

export interface AdamHyper { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean }
export interface SgdHyper { lr: number; momentum: number; weightDecay: number; nesterov: boolean }

type AdamFn = (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, lr: number, b1: number, b2: number, eps: number, step: number, wd: number, decoupled: boolean) => void;
type SgdFn = (p: Float32Array, g: Float32Array, buf: Float32Array, out: Float32Array, lr: number, momentum: number, wd: number, nesterov: boolean, first: boolean) => void;

function nativeBackend(): NativeBackend | null {
  return tf.getBackend() === NATIVE_BACKEND ? (tf.backend() as unknown as NativeBackend) : null;
}

export function fusedOptimAvailable(): boolean {
  return nativeBackend() !== null;
}

function values(b: NativeBackend, t: tf.Tensor): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const v = b.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : null;
}

/** Runs `update(p, out)` writing the new parameter values, in place when safe. */
function updateParam(b: NativeBackend, v: tf.Variable, update: (p: Float32Array, out: Float32Array) => void): boolean {
  const p = values(b, v);
  if (!p) return false;
  if (b.canWriteInPlace(v.dataId)) {
    update(p, p);
    return true;
  }
  const out = b.alloc(p.length);
  update(p, out);
  const t = tf.engine().makeTensorFromTensorInfo(b.makeTensorInfo(v.shape, 'float32', out), b as never);
  v.assign(t);
  t.dispose();
  return true;
}

/** Adam / AdamW step `step` (1-based) on one parameter; m and s are its moment buffers. */
export function adamUpdate(v: tf.Variable, g: tf.Tensor, m: Float32Array, s: Float32Array, step: number, h: AdamHyper): boolean {
  const b = nativeBackend();
  if (!b) return false;
  const gv = values(b, g);
  if (!gv || gv.length !== m.length) return false;
  const fn = b.addon.adam as AdamFn;
  return updateParam(b, v, (p, out) => fn(p, gv, m, s, out, h.lr, h.beta1, h.beta2, h.eps, step, h.weightDecay, h.decoupled));
}

/** SGD with momentum (PyTorch semantics); `buf` is the momentum buffer, `first` on step 1. */
export function sgdUpdate(v: tf.Variable, g: tf.Tensor, buf: Float32Array, first: boolean, h: SgdHyper): boolean {
  const b = nativeBackend();
  if (!b) return false;
  const gv = values(b, g);
  if (!gv) return false;
  const fn = b.addon.sgd as SgdFn;
  return updateParam(b, v, (p, out) => fn(p, gv, buf, out, h.lr, h.momentum, h.weightDecay, h.nesterov, first));
}
