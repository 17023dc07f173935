/** Runs f with `backend` as tfjs's current backend, then restores the previous one (tests only). */
import * as tf from '@tensorflow/tfjs';

export async function onBackend<T>(backend: string, f: () => T): Promise<T> {
  const prev = tf.getBackend();
  await tf.setBackend(backend);
  try {
    return f();
  } finally {
    await tf.setBackend(prev);
  }
}
