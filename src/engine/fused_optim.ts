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
import { currentNativeBackend as nativeBackend, nativeValues as values } from './native/current';

export interface AdamHyper { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean }
export interface SgdHyper { lr: number; momentum: number; weightDecay: number; nesterov: boolean }

type AdamFn = (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, lr: number, b1: number, b2: number, eps: number, step: number, wd: number, decoupled: boolean) => void;
type SgdFn = (p: Float32Array, g: Float32Array, buf: Float32Array, out: Float32Array, lr: number, momentum: number, wd: number, nesterov: boolean, first: boolean) => void;

export function fusedOptimAvailable(): boolean {
  return nativeBackend() !== null;
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

/**
 * Slot-tensor variants for optimizers that keep their state as tensors (src/train/optim): the
 * slots are written in place when exclusive, else replaced by a private copy first (e.g. after a
 * checkpoint read them). Returns the slot tensors to keep (the same ones, or the copies), or
 * null when the native path does not apply.
 */
function writableSlot(b: NativeBackend, t: tf.Tensor): { tensor: tf.Tensor; values: Float32Array } | null {
  const v = values(b, t);
  if (!v) return null;
  if (b.canWriteInPlace(t.dataId)) return { tensor: t, values: v };
  const copy = b.alloc(v.length);
  copy.set(v);
  const tensor = tf.engine().makeTensorFromTensorInfo(b.makeTensorInfo(t.shape, 'float32', copy), b as never);
  return { tensor, values: copy };
}

export function adamUpdateSlots(v: tf.Variable, g: tf.Tensor, m: tf.Tensor, s: tf.Tensor, step: number, h: AdamHyper): { m: tf.Tensor; s: tf.Tensor } | null {
  const b = nativeBackend();
  if (!b || m.size !== v.size || s.size !== v.size) return null;
  const gv = values(b, g);
  if (!gv || gv.length !== v.size) return null;
  const mw = writableSlot(b, m), sw = writableSlot(b, s);
  if (!mw || !sw) return null;
  const fn = b.addon.adam as AdamFn;
  updateParam(b, v, (p, out) => fn(p, gv, mw.values, sw.values, out, h.lr, h.beta1, h.beta2, h.eps, step, h.weightDecay, h.decoupled));
  return { m: mw.tensor, s: sw.tensor };
}

export function sgdUpdateSlot(v: tf.Variable, g: tf.Tensor, buf: tf.Tensor | null, first: boolean, h: SgdHyper): { buf: tf.Tensor | null } | null {
  const b = nativeBackend();
  if (!b) return null;
  const gv = values(b, g);
  if (!gv || gv.length !== v.size) return null;
  const bw = buf ? writableSlot(b, buf) : null;
  if (buf && !bw) return null;
  const fn = b.addon.sgd as SgdFn;
  updateParam(b, v, (p, out) => fn(p, gv, bw ? bw.values : new Float32Array(0), out, h.lr, h.momentum, h.weightDecay, h.nesterov, first));
  return { buf: bw ? bw.tensor : null };
}
