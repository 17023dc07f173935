/**
 * Fused optimizer updates on the native backend: one C pass per parameter instead of ~10 tfjs
 * ops (each allocating a tensor the size of the parameter), the moment / momentum slots updated in
 * place. Each returns null where it does not apply (another backend, data not float32), and
 * src/engine/optim_step.ts runs the tfjs ops instead.
 *
 * The parameter is updated in place when nothing else can see its buffer (the variable is the
 * only holder and its data never escaped through dataSync); otherwise the new values go to a
 * fresh buffer that the variable is assigned (copy on write). Slots likewise: written in place
 * when exclusive, else replaced by a private copy first (e.g. after a checkpoint read them).
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from './native_backend';
import { currentNativeBackend as nativeBackend, nativeValues as values } from './current';

export interface AdamHyper { lr: number; beta1: number; beta2: number; eps: number; weightDecay: number; decoupled: boolean }
export interface SgdHyper { lr: number; momentum: number; weightDecay: number; nesterov: boolean }

type AdamFn = (p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, lr: number, b1: number, b2: number, eps: number, step: number, wd: number, decoupled: boolean) => void;
type SgdFn = (p: Float32Array, g: Float32Array, buf: Float32Array, out: Float32Array, lr: number, momentum: number, wd: number, nesterov: boolean, first: boolean) => void;

/** Runs `update(p, out)` writing the new parameter values, in place when safe. */
function updateParam(b: NativeBackend, v: tf.Variable, p: Float32Array, update: (p: Float32Array, out: Float32Array) => void): void {
  if (b.canWriteInPlace(v.dataId)) {
    update(p, p);
    return;
  }
  const out = b.alloc(p.length);
  update(p, out);
  const t = tf.engine().makeTensorFromTensorInfo(b.makeTensorInfo(v.shape, 'float32', out), b as never);
  v.assign(t);
  t.dispose();
}

function writableSlot(b: NativeBackend, t: tf.Tensor): { tensor: tf.Tensor; values: Float32Array } | null {
  const v = values(b, t);
  if (!v) return null;
  if (b.canWriteInPlace(t.dataId)) return { tensor: t, values: v };
  const copy = b.alloc(v.length);
  copy.set(v);
  const tensor = tf.engine().makeTensorFromTensorInfo(b.makeTensorInfo(t.shape, 'float32', copy), b as never);
  return { tensor, values: copy };
}

/** Adam / AdamW step `step` (1-based): the slot tensors to keep (the same ones, or private copies), or null. */
export function nativeAdamStep(v: tf.Variable, g: tf.Tensor, m: tf.Tensor, s: tf.Tensor, step: number, h: AdamHyper): { m: tf.Tensor; s: tf.Tensor } | null {
  const b = nativeBackend();
  if (!b || m.size !== v.size || s.size !== v.size) return null;
  const p = values(b, v), gv = values(b, g);
  if (!p || !gv || gv.length !== v.size) return null;
  const mw = writableSlot(b, m), sw = writableSlot(b, s);
  if (!mw || !sw) return null;
  const fn = b.addon.adam as AdamFn;
  updateParam(b, v, p, (pin, out) => fn(pin, gv, mw.values, sw.values, out, h.lr, h.beta1, h.beta2, h.eps, step, h.weightDecay, h.decoupled));
  return { m: mw.tensor, s: sw.tensor };
}

/** SGD step (PyTorch semantics; `first` on step 1): the momentum slot to keep (null without momentum), or null. */
export function nativeSgdStep(v: tf.Variable, g: tf.Tensor, buf: tf.Tensor | null, first: boolean, h: SgdHyper): { buf: tf.Tensor | null } | null {
  const b = nativeBackend();
  if (!b) return null;
  const p = values(b, v), gv = values(b, g);
  if (!p || !gv || gv.length !== v.size) return null;
  const bw = buf ? writableSlot(b, buf) : null;
  if (buf && !bw) return null;
  const fn = b.addon.sgd as SgdFn;
  updateParam(b, v, p, (pin, out) => fn(pin, gv, bw ? bw.values : new Float32Array(0), out, h.lr, h.momentum, h.weightDecay, h.nesterov, first));
  return { buf: bw ? bw.tensor : null };
}
