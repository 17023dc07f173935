/**
 * Alignment measures (paper, appendix A): the cosine similarity between the signal a method
 * delivers at a feedback point and the gradient BP would deliver there, per sample, summarised
 * as mean and std; and the angle between a feedback matrix and the forward weights it replaces.
 */
import * as tf from '@tensorflow/tfjs';
import { meanStd } from '../metrics/stats';

export interface AlignmentStat {
  /** feedback point name */
  name: string;
  /** mean per-sample cosine similarity; 1 = the BP direction, 0 = orthogonal */
  mean: number;
  /** population std of the per-sample cosines (metrics/stats meanStd with ddof 0) */
  std: number;
  /** number of samples counted (rows where either vector is exactly zero are skipped) */
  n: number;
}

/**
 * 'row': a sample is one position of the leading dims (batch row, graph node, token, ray point);
 * the cosine is taken over the last dim. 'sample': a sample is an index of the first dim; the
 * cosine is taken over all other dims together.
 */
export type AlignOver = 'row' | 'sample';

/** Per-sample cosines between `a` and `b` (same shape), with zero rows dropped. */
export function cosines(a: tf.Tensor, b: tf.Tensor, over: AlignOver = 'row'): Float32Array {
  if (a.shape.join(',') !== b.shape.join(',')) {
    throw new Error(`alignment: shapes differ, [${a.shape}] vs [${b.shape}]`);
  }
  const [dot, na, nb] = tf.tidy(() => {
    const cols = over === 'row' ? a.shape[a.rank - 1]! : a.size / a.shape[0]!;
    const a2 = tf.reshape(a, [-1, cols]);
    const b2 = tf.reshape(b, [-1, cols]);
    return [tf.sum(tf.mul(a2, b2), 1), tf.norm(a2, 'euclidean', 1), tf.norm(b2, 'euclidean', 1)];
  });
  const d = dot.dataSync(), x = na.dataSync(), y = nb.dataSync();
  tf.dispose([dot, na, nb]);
  const out: number[] = [];
  for (let i = 0; i < d.length; i++) {
    const den = x[i]! * y[i]!;
    if (den > 0) out.push(Math.max(-1, Math.min(1, d[i]! / den)));
  }
  return Float32Array.from(out);
}

export function alignmentStat(name: string, delivered: tf.Tensor, bp: tf.Tensor, over: AlignOver = 'row'): AlignmentStat {
  const c = cosines(delivered, bp, over);
  return { name, ...meanStd(c, 0), n: c.length };
}

/** Angle in degrees between two matrices of the same shape, seen as vectors (0 = parallel). */
export function angleDeg(a: tf.Tensor, b: tf.Tensor): number {
  if (a.shape.join(',') !== b.shape.join(',')) throw new Error(`angle: shapes differ, [${a.shape}] vs [${b.shape}]`);
  const [dot, na, nb] = tf.tidy(() => [tf.sum(tf.mul(a, b)), tf.norm(a), tf.norm(b)]).map((t) => {
    const v = t.dataSync()[0]!;
    t.dispose();
    return v;
  }) as [number, number, number];
  if (na === 0 || nb === 0) return NaN;
  return (Math.acos(Math.max(-1, Math.min(1, dot / (na * nb)))) * 180) / Math.PI;
}
