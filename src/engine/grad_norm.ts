/**
 * The two passes of gradient clipping by global norm, on every backend: the sum of squares of a
 * set of tensors, and scaling a tensor the caller owns. Natively one C read per tensor and an
 * in-place scale (src/engine/native/clip.ts); elsewhere tfjs ops.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeScaleInPlace, nativeSumSquares } from './native/clip';

/** acc + Σ over ts of Σ t² (natively in double precision; with tfjs ops a float32 total added to acc). */
export function sumSquares(ts: tf.Tensor[], acc = 0): number {
  if (ts.length === 0) return acc;
  const fused = nativeSumSquares(ts, acc);
  if (fused !== null) return fused;
  const t = tf.tidy(() => tf.addN(ts.map((g) => tf.sum(tf.square(g)))));
  const sum = t.dataSync()[0]!;
  t.dispose();
  return acc + sum;
}

/** t · s, consuming t: scaled in place when the backend can (t is then returned), else a new tensor (t disposed). */
export function scaleOwned(t: tf.Tensor, s: number): tf.Tensor {
  if (nativeScaleInPlace(t, s)) return t;
  const out = tf.mul(t, s);
  t.dispose();
  return out;
}
