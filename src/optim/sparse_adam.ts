/**
 * Lazy (sparse) Adam for embedding rows, as torch's SparseAdam with Adam's L2 weight decay: a
 * step sums the gathered rows' gradient per unique row and updates those rows and their moments
 * only; the moments of other rows wait untouched. Moments and the step count are kept per table
 * (bias correction uses the table's step count, counted on the steps where the table got a
 * gradient). The lr comes with each step (the Trainer passes the dense optimizer's, scheduled).
 *
 * `rows(table, lookup)` is a batch's rows as a Trainer sparse parameter (`ctx.sparse`): the
 * Trainer counts their gradient in global-norm clipping and then calls apply.
 */
import type * as tf from '@tensorflow/tfjs';
import { rowsSquaredNorm, sparseAdamRows } from '../engine/ops/embedding_rows';
import type { EmbeddingLookup, SparseEmbedding } from '../nn/sparse_embedding';
import type { SparseParam } from '../train/task';

export interface SparseAdamOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** L2 weight decay on the rows a step touches (added to their gradient) */
  weightDecay?: number;
}

interface Moments {
  m: Float32Array;
  v: Float32Array;
  /** steps taken on this table */
  t: number;
}

/** Serializable state: per table (by the caller's name) its moments and step count. */
export interface SparseAdamState {
  kind: 'sparse-adam';
  tables: Record<string, Moments>;
}

export class SparseAdam {
  readonly kind = 'sparse-adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private readonly moments = new Map<SparseEmbedding, Moments>();

  constructor(o: SparseAdamOptions = {}) {
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.eps = o.eps ?? 1e-8;
    this.weightDecay = o.weightDecay ?? 0;
    for (const [k, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new Error(`sparse adam: ${k} must be in [0, 1), got ${b}`);
    }
    if (!(this.weightDecay >= 0)) throw new Error(`sparse adam: weightDecay must be >= 0, got ${o.weightDecay}`);
  }

  /** One step on the looked-up rows of `table` from the gradient of the gathered rows [n, dim]. */
  step(table: SparseEmbedding, l: EmbeddingLookup, gatheredGrad: Float32Array, lr: number): void {
    let s = this.moments.get(table);
    if (!s) this.moments.set(table, (s = { m: new Float32Array(table.table.length), v: new Float32Array(table.table.length), t: 0 }));
    s.t++;
    const { beta1, beta2, eps, weightDecay } = this;
    sparseAdamRows(table.table, s.m, s.v, table.dim, l.unique, l.slots, gatheredGrad, { lr, beta1, beta2, eps, weightDecay, c1: 1 - beta1 ** s.t, c2: 1 - beta2 ** s.t });
  }

  /** A batch's rows of `table` as a sparse parameter of the Trainer (disposing it disposes the lookup). */
  rows(table: SparseEmbedding, l: EmbeddingLookup): SparseParam {
    return {
      gathered: l.gathered as tf.Variable,
      // the norm of the per-row sums: a row used twice in a batch has one gradient, the sum
      sqNorm: (g) => rowsSquaredNorm(table.dim, l.unique.length, l.slots, g),
      apply: (g, lr, clipScale) => {
        let grad = g;
        if (clipScale < 1) {
          grad = new Float32Array(g.length); // g may be the gradient tensor's own storage
          for (let k = 0; k < g.length; k++) grad[k] = g[k]! * clipScale;
        }
        this.step(table, l, grad, lr);
      },
      dispose: () => l.dispose(),
    };
  }

  /** The moments (views, not copies: pack them before training on) under the tables' names. */
  getState(names: Map<SparseEmbedding, string>): SparseAdamState {
    const tables: Record<string, Moments> = {};
    for (const [t, s] of this.moments) {
      const n = names.get(t);
      if (n === undefined) throw new Error('sparse adam state: a table has no name in the given map');
      tables[n] = s;
    }
    return { kind: this.kind, tables };
  }

  setState(st: SparseAdamState, names: Map<SparseEmbedding, string>): void {
    if (st.kind !== this.kind) throw new Error(`optimizer state is for '${String(st.kind)}', this optimizer is '${this.kind}'`);
    const byName = new Map([...names].map(([t, n]) => [n, t]));
    this.moments.clear();
    for (const [n, s] of Object.entries(st.tables)) {
      const t = byName.get(n);
      if (!t) throw new Error(`sparse adam state: no table named '${n}' in this model`);
      for (const [k, a] of [['m', s.m], ['v', s.v]] as const) {
        if (a.length !== t.table.length) throw new Error(`sparse adam state: '${n}' ${k} has ${a.length} values, the table ${t.table.length}`);
      }
      this.moments.set(t, { m: Float32Array.from(s.m), v: Float32Array.from(s.v), t: s.t });
    }
  }
}
