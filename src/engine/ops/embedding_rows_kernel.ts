/**
 * The sparse embedding's kernels, which work on the table and its Adam moments in place
 * (Float32Arrays of up to hundreds of millions of values, outside any tensor):
 *   - gather: each index's row copied out, with the batch's unique rows and each index's slot;
 *   - sparseAdam: the gathered rows' gradient summed per unique row, then lazy Adam on those rows;
 *   - sumSquares: the squared norm of those per-row sums (global-norm clipping).
 * A tfjs kernel cannot update its inputs in place, so these have their own registry keyed by
 * backend name (as tfjs keys its kernels): the cpu kernels (src/engine/cpu/embedding_rows.ts) are
 * plain loops over the arrays, the native ones (src/engine/native/kernels/embedding_rows.ts) the
 * addon's; both are registered in the two register lists. A backend without its own runs the cpu
 * kernels, which need nothing from a backend.
 */

/** Hyper-parameters of one lazy Adam step (c1 = 1 − β1^t, c2 = 1 − β2^t: the table's bias corrections). */
export interface SparseAdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** L2 weight decay added to the gradient (torch's Adam `weight_decay`) */
  weightDecay: number;
  c1: number;
  c2: number;
}

export interface EmbeddingRowKernels {
  /**
   * Copies table row `indices[i]` to `out[i]` ([n, dim]); `unique` receives the distinct rows in
   * order of first use and `slots[i]` the slot of index i among them. `stamp`/`slotOf` (one entry
   * per table row) mark the rows seen in generation `gen`. Returns the number of unique rows, or
   * −(i + 1) for the first index i outside the table.
   */
  gather(table: Float32Array, dim: number, indices: Int32Array, stamp: Int32Array, slotOf: Int32Array, gen: number, slots: Int32Array, unique: Int32Array, out: Float32Array): number;
  /**
   * Lazy Adam on rows `unique[0..U)` of table `w` (moments `m`, `v`) from the gathered rows'
   * gradient `grad` [n, dim] (`slots` as gather gave them). Returns −1, or the first row whose
   * summed gradient is not finite (that row and the ones after it are not updated).
   */
  sparseAdam(w: Float32Array, m: Float32Array, v: Float32Array, dim: number, unique: Int32Array, slots: Int32Array, grad: Float32Array, step: SparseAdamStep): number;
  /**
   * Σ over the U unique rows of |Σ of their gathered rows' gradient|²: each row's sum in float32
   * in slot order, the squares summed in float64 in row order (every backend the same number).
   */
  sumSquares(dim: number, U: number, slots: Int32Array, grad: Float32Array): number;
}

const KERNELS = new Map<string, EmbeddingRowKernels>();

export function registerEmbeddingRowKernels(backendName: string, kernels: EmbeddingRowKernels): void {
  KERNELS.set(backendName, kernels);
}

/** The kernels of a backend (the cpu ones when it has none of its own). */
export function embeddingRowKernels(backendName: string): EmbeddingRowKernels {
  const k = KERNELS.get(backendName) ?? KERNELS.get('cpu');
  if (!k) throw new Error('embedding row kernels: none registered (import src/engine/register)');
  return k;
}
