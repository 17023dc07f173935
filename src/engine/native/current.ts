/**
 * The native backend when it is the current one, else null. Browser-safe (type-only import of
 * the backend class). For the engine's functions that are not kernels (fused optimizer steps,
 * clipping: src/engine/native/fused_optim.ts, clip.ts) to pick their native path; ops need it not
 * (tfjs picks a kernel per backend), and nothing outside src/engine may ask.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeBackend } from './native_backend';
import { NATIVE_BACKEND } from './name';

export function currentNativeBackend(): NativeBackend | null {
  return tf.getBackend() === NATIVE_BACKEND ? (tf.backend() as unknown as NativeBackend) : null;
}

/** The float32 values behind a tensor on the native backend, or null (other dtype or layout). */
export function nativeValues(b: NativeBackend, t: tf.TensorInfo): Float32Array | null {
  const v = b.data.get(t.dataId).values;
  return t.dtype === 'float32' && v instanceof Float32Array ? v : null;
}
