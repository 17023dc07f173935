/** The embedding row kernels on the native addon (native/src/recsys.c: embeddingGather, sparseAdam, rowsSumSquares). */
import type { EmbeddingRowKernels } from '../../ops/embedding_rows_kernel';
import type { NativeAddon } from '../types';

type Gather = (table: Float32Array, dim: number, indices: Int32Array, stamp: Int32Array, slotOf: Int32Array, gen: number, slots: Int32Array, unique: Int32Array, out: Float32Array) => number;
type SparseAdam = (w: Float32Array, m: Float32Array, v: Float32Array, dim: number, unique: Int32Array, U: number, slots: Int32Array, grad: Float32Array, acc: Float32Array,
  lr: number, b1: number, b2: number, eps: number, wd: number, c1: number, c2: number) => number;

type SumSquares = (grad: Float32Array, slots: Int32Array, U: number, dim: number, acc: Float32Array) => number;

export function nativeEmbeddingRowKernels(addon: NativeAddon): EmbeddingRowKernels {
  const gather = addon.embeddingGather as Gather;
  const sparseAdam = addon.sparseAdam as SparseAdam;
  const sumSquares = addon.rowsSumSquares as SumSquares;
  return {
    gather,
    sparseAdam(w, m, v, d, unique, slots, grad, s) {
      const acc = new Float32Array(unique.length * d); // scratch: the per-row gradient sums
      return sparseAdam(w, m, v, d, unique, unique.length, slots, grad, acc, s.lr, s.beta1, s.beta2, s.eps, s.weightDecay, s.c1, s.c2);
    },
    sumSquares: (d, U, slots, grad) => sumSquares(grad, slots, U, d, new Float32Array(U * d)),
  };
}
