/**
 * An embedding table trained with sparse row updates (as torch's `Embedding(sparse=True)` with
 * `SparseAdam`): a step touches only the rows its batch uses, never a dense gradient of the table.
 *
 * The table and its Adam moments live in Float32Arrays. A step:
 *   1. `lookup(indices)` copies each index's row into a small [n, dim] tf.Variable (the gathered
 *      rows) and finds the batch's unique rows and each index's slot among them;
 *   2. the model uses the gathered rows; autodiff gives their gradient, [n, dim];
 *   3. `applyGrads(lookup, grad)` segment-sums it over the slots into [U, dim] (one gradient
 *      per unique row) and does lazy Adam on those U rows only (moments of other rows are
 *      untouched, bias correction uses the global step), plus optional L2 weight decay.
 * (tfjs's own gather gradient, UnsortedSegmentSum, is O(U·n) on the cpu backend: unusable.)
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { currentNativeBackend } from '../engine/native/current';

// native/src/recsys.c (on the native backend; plain loops elsewhere, same results to float rounding)
type EmbeddingGather = (table: Float32Array, dim: number, indices: Int32Array, stamp: Int32Array, slotOf: Int32Array, gen: number, slots: Int32Array, unique: Int32Array, out: Float32Array) => number;
type SparseAdam = (w: Float32Array, m: Float32Array, v: Float32Array, dim: number, unique: Int32Array, U: number, slots: Int32Array, grad: Float32Array, acc: Float32Array,
  lr: number, b1: number, b2: number, eps: number, wd: number, c1: number, c2: number) => number;

export interface EmbeddingLookup {
  /** table rows used by the batch, each once */
  unique: Int32Array;
  /** for each input index, its slot in `unique` */
  slots: Int32Array;
  /** the input indices' rows, [n, dim], copied from the table; a Variable when trainable */
  gathered: tf.Tensor2D;
  dispose(): void;
}

export interface SparseAdamConfig {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

/** A table's learned state, for checkpoints (the Adam moments are null before its first step). */
export interface SparseEmbeddingState {
  rows: number;
  dim: number;
  table: Float32Array;
  m: Float32Array | null;
  v: Float32Array | null;
  /** Adam's step count (bias correction) */
  t: number;
}

export class SparseEmbedding {
  readonly table: Float32Array;
  private m: Float32Array | null = null;
  private v: Float32Array | null = null;
  private stamp: Int32Array;
  private slotOf: Int32Array;
  private gen = 0;
  private t = 0;
  /** rows updated in the last step (for tests / diagnostics) */
  lastUpdated: Int32Array = new Int32Array(0);

  constructor(readonly numRows: number, readonly dim: number, init: 'xavier' | 'normal' | 'zeros', rng: Rng, std = 0.01) {
    if (!(numRows > 0 && dim > 0)) throw new Error(`SparseEmbedding: bad shape [${numRows}, ${dim}]`);
    if (init === 'xavier') {
      const a = Math.sqrt(6 / (numRows + dim)); // torch xavier_uniform_ on the [numRows, dim] weight
      this.table = rng.uniformArray(numRows * dim, -a, a);
    } else if (init === 'normal') {
      this.table = rng.normalArray(numRows * dim, 0, std);
    } else {
      this.table = new Float32Array(numRows * dim);
    }
    this.stamp = new Int32Array(numRows);
    this.slotOf = new Int32Array(numRows);
  }

  lookup(indices: Int32Array, trainable: boolean): EmbeddingLookup {
    const gen = ++this.gen;
    const d = this.dim;
    const slots = new Int32Array(indices.length);
    const buf = new Float32Array(indices.length * d);
    const addon = currentNativeBackend()?.addon;
    let unique: Int32Array;
    if (addon) {
      const uniq = new Int32Array(indices.length);
      const U = (addon.embeddingGather as EmbeddingGather)(this.table, d, indices, this.stamp, this.slotOf, gen, slots, uniq, buf);
      if (U < 0) throw new Error(`SparseEmbedding: index ${indices[-U - 1]} outside [0, ${this.numRows})`);
      unique = uniq.slice(0, U);
    } else {
      const uniq: number[] = [];
      const T = this.table;
      for (let i = 0; i < indices.length; i++) {
        const r = indices[i]!;
        if (r < 0 || r >= this.numRows) throw new Error(`SparseEmbedding: index ${r} outside [0, ${this.numRows})`);
        if (this.stamp[r] !== gen) {
          this.stamp[r] = gen;
          this.slotOf[r] = uniq.length;
          uniq.push(r);
        }
        slots[i] = this.slotOf[r]!;
        for (let j = 0; j < d; j++) buf[i * d + j] = T[r * d + j]!;
      }
      unique = Int32Array.from(uniq);
    }
    const t = tf.tensor2d(buf, [indices.length, d]);
    const gathered = trainable ? tf.variable(t, true) : t;
    if (trainable) t.dispose();
    return { unique, slots, gathered, dispose: () => gathered.dispose() };
  }

  /** The table, its Adam moments and step count (views, not copies: pack them before training on). */
  getState(): SparseEmbeddingState {
    return { rows: this.numRows, dim: this.dim, table: this.table, m: this.m, v: this.v, t: this.t };
  }

  setState(s: SparseEmbeddingState): void {
    if (s.rows !== this.numRows || s.dim !== this.dim) throw new Error(`SparseEmbedding: saved table is [${s.rows}, ${s.dim}], this one [${this.numRows}, ${this.dim}]`);
    const n = this.numRows * this.dim;
    for (const [k, a] of [['table', s.table], ['m', s.m], ['v', s.v]] as const) {
      if (a && a.length !== n) throw new Error(`SparseEmbedding: saved ${k} has ${a.length} values, expected ${n}`);
    }
    if ((s.m === null) !== (s.v === null)) throw new Error('SparseEmbedding: saved state has one Adam moment without the other');
    this.table.set(s.table);
    this.m = s.m ? Float32Array.from(s.m) : null;
    this.v = s.v ? Float32Array.from(s.v) : null;
    this.t = s.t;
  }

  /** The embeddings of the inputs, [n, dim]. */
  static gather(l: EmbeddingLookup): tf.Tensor2D {
    return l.gathered;
  }

  /** Gradient of the gathered rows [n, dim] → one summed gradient per unique row [U, dim]. */
  segmentSum(l: EmbeddingLookup, grad: Float32Array): Float32Array {
    const d = this.dim;
    if (grad.length !== l.slots.length * d) throw new Error(`SparseEmbedding: gradient has ${grad.length} values, expected ${l.slots.length}×${d}`);
    const out = new Float32Array(l.unique.length * d);
    for (let i = 0; i < l.slots.length; i++) {
      const o = l.slots[i]! * d;
      for (let j = 0; j < d; j++) out[o + j] += grad[i * d + j]!;
    }
    return out;
  }

  /** Lazy Adam on the looked-up rows, from the gradient of the gathered rows [n, dim]. */
  applyGrads(l: EmbeddingLookup, gatheredGrad: Float32Array, cfg: SparseAdamConfig): void {
    const d = this.dim;
    if (gatheredGrad.length !== l.slots.length * d) throw new Error(`SparseEmbedding: gradient has ${gatheredGrad.length} values, expected ${l.slots.length}×${d}`);
    if (!this.m) {
      this.m = new Float32Array(this.numRows * d);
      this.v = new Float32Array(this.numRows * d);
    }
    const m = this.m, v = this.v!, w = this.table;
    const b1 = cfg.beta1 ?? 0.9, b2 = cfg.beta2 ?? 0.999, eps = cfg.eps ?? 1e-8, wd = cfg.weightDecay ?? 0;
    this.t++;
    const c1 = 1 - b1 ** this.t, c2 = 1 - b2 ** this.t;
    const addon = currentNativeBackend()?.addon;
    if (addon) {
      const acc = new Float32Array(l.unique.length * d);
      const bad = (addon.sparseAdam as SparseAdam)(w, m, v, d, l.unique, l.unique.length, l.slots, gatheredGrad, acc, cfg.lr, b1, b2, eps, wd, c1, c2);
      if (bad >= 0) throw new Error(`SparseEmbedding: non-finite gradient for row ${bad}`);
      this.lastUpdated = l.unique;
      return;
    }
    const grad = this.segmentSum(l, gatheredGrad);
    const step = cfg.lr / c1;
    for (let u = 0; u < l.unique.length; u++) {
      const base = l.unique[u]! * d;
      for (let j = 0; j < d; j++) {
        const k = base + j;
        let g = grad[u * d + j]!;
        if (!Number.isFinite(g)) throw new Error(`SparseEmbedding: non-finite gradient (${g}) for row ${l.unique[u]}`);
        if (wd) g += wd * w[k]!;
        m[k] = b1 * m[k]! + (1 - b1) * g;
        v[k] = b2 * v[k]! + (1 - b2) * g * g;
        w[k] = w[k]! - (step * m[k]!) / (Math.sqrt(v[k]! / c2) + eps);
      }
    }
    this.lastUpdated = l.unique;
  }
}
