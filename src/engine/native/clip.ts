/**
 * Gradient clipping's two passes on the native backend: Σ x² of each tensor in one C read (double
 * accumulation, no square / sum temporaries) and an in-place scale. Each returns null where it does
 * not apply (another backend, data not float32, a buffer others can see); src/engine/grad_norm.ts
 * runs tfjs ops instead.
 */
import type * as tf from '@tensorflow/tfjs';
import { currentNativeBackend, nativeValues } from './current';

type SumSquares = (x: Float32Array) => number;
type ScaleInPlace = (x: Float32Array, s: number) => void;

/** acc + Σ‖t‖² over ts, summed in order in double precision; null unless every tensor is native float32. */
export function nativeSumSquares(ts: tf.Tensor[], acc: number): number | null {
  const b = currentNativeBackend();
  if (!b) return null;
  const vals = ts.map((t) => nativeValues(b, t));
  if (!vals.every((v) => v)) return null;
  for (const v of vals) acc += (b.addon.sumSquares as SumSquares)(v!);
  return acc;
}

/** t ·= s in place when t's buffer is its own (a fresh gradient); false when it cannot. */
export function nativeScaleInPlace(t: tf.Tensor, s: number): boolean {
  const b = currentNativeBackend();
  const v = b ? nativeValues(b, t) : null;
  if (!b || !v || !b.canWriteInPlace(t.dataId)) return false;
  (b.addon.scaleInPlace as ScaleInPlace)(v, s);
  return true;
}
