/**
 * Node features a first layer can take: a dense [N, F] tensor, or sparse CSR features (the
 * Planetoid ones are 98-99 % zeros) with optional replacement values (dropout on the non-zeros,
 * which is exactly dropout on the dense matrix since zeros stay zero).
 */
import * as tf from '@tensorflow/tfjs';
import type { Csr } from '../data/planetoid';
import type { Rng } from '../../../engine/rng';
import { spmm } from './ops';

export interface SparseFeatures {
  kind: 'csr';
  csr: Csr;
  values?: Float32Array;
}

export type NodeInput = tf.Tensor | SparseFeatures;

export function isSparse(x: NodeInput): x is SparseFeatures {
  return !(x instanceof tf.Tensor) && (x as SparseFeatures).kind === 'csr';
}

export function sparse(csr: Csr): SparseFeatures {
  return { kind: 'csr', csr };
}

export function numNodes(x: NodeInput): number {
  return isSparse(x) ? x.csr.numRows : x.shape[0]!;
}

export function numFeatures(x: NodeInput): number {
  return isSparse(x) ? x.csr.numCols : x.shape[1]!;
}

/** x · W for either kind of input. */
export function linear(x: NodeInput, W: tf.Tensor): tf.Tensor {
  return isSparse(x) ? spmm(x.csr, W, x.values) : tf.matMul(x as tf.Tensor2D, W as tf.Tensor2D);
}

/** Inverted dropout with a mask drawn from `rng` (p = 0 or not training: x itself). */
export function dropout<T extends NodeInput>(x: T, p: number, training: boolean, rng: Rng): T {
  if (!training || p <= 0) return x;
  if (p >= 1) throw new Error(`dropout: p must be < 1, got ${p}`);
  const keep = 1 / (1 - p);
  if (isSparse(x)) {
    const src = x.values ?? x.csr.data;
    const v = new Float32Array(src.length);
    for (let i = 0; i < v.length; i++) v[i] = rng.next() < p ? 0 : src[i]! * keep;
    return { ...x, values: v } as T;
  }
  const t = x as tf.Tensor;
  const m = new Float32Array(t.size);
  for (let i = 0; i < m.length; i++) m[i] = rng.next() < p ? 0 : keep;
  return tf.mul(t, tf.tensor(m, t.shape)) as unknown as T;
}
