/**
 * Node features a first layer can take: a dense [N, F] tensor, or sparse CSR features (the
 * Planetoid ones are 98-99 % zeros) with optional replacement values (dropout on the non-zeros,
 * which is exactly dropout on the dense matrix since zeros stay zero).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import { spmm, type Csr } from '../../../engine/ops/spmm';
import type { Feedback } from '../../../feedback';
import { dropout, dropoutArray } from '../../../nn/dropout';
import { linear } from '../../../nn/linear';

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

export function numFeatures(x: NodeInput): number {
  return isSparse(x) ? x.csr.numCols : x.shape[1]!;
}

/**
 * x · W for either kind of input. A dense input goes through the core `linear` (FA's feedback
 * matrix under `fb`, named `name`); sparse input is data, whose gradient no one needs.
 */
export function project(x: NodeInput, W: tf.Tensor, fb?: Feedback | null, name?: string): tf.Tensor {
  return isSparse(x) ? spmm(x.csr, W, x.values) : linear(x, W, undefined, fb, name);
}

/** The core dropout (counter-based masks) on either kind of input; no rng (evaluation): x itself. */
export function dropoutNodes<T extends NodeInput>(x: T, rate: number, rng: Rng | null): T {
  if (!isSparse(x)) return dropout(x as tf.Tensor, rate, rng) as T;
  const src = x.values ?? x.csr.data;
  const v = dropoutArray(src, rate, rng);
  return v === src ? x : { ...x, values: v };
}
