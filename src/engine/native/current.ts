/**
 * The native backend when it is the current one, else null. Browser-safe (type-only import of
 * the backend class): ops and optimizers use it to take their one-kernel path on the native
 * backend and their tfjs-op path everywhere else.
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
