/**
 * What every recommender model shares: per-field indices are offset into one table per kind
 * (torchfm's FeaturesLinear / FeaturesEmbedding), tables train sparsely, dense layers are
 * tf.Variables. A forward gets the batch's table lookups (one per sparse table, same order as
 * `tables`) and returns logits [B, 1]; the caller applies fb.output and the loss.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import type { AlignmentStat } from '../../../feedback';
import { vname, type ForwardCtx } from './layers';
import { SparseEmbedding, type EmbeddingLookup } from '../../../nn/sparse_embedding';

export type RecsysModelName = 'fm' | 'deepfm' | 'dcn' | 'afn';
export const RECSYS_MODELS: readonly RecsysModelName[] = ['fm', 'deepfm', 'dcn', 'afn'];

/**
 * Extra alignment measures a model derives from its feedback points: `inspect` sees each point's
 * DFA signal and BP gradient (Feedback.alignment's hook), `stats` returns what it measured.
 */
export interface AlignmentProbe {
  inspect(point: string, delivered: tf.Tensor, bp: tf.Tensor): void;
  stats(): AlignmentStat[];
  dispose(): void;
}

export abstract class RecsysModel {
  abstract readonly name: RecsysModelName;
  readonly offsets: Int32Array;
  readonly numFields: number;
  readonly totalRows: number;
  constructor(readonly fieldDims: number[]) {
    this.numFields = fieldDims.length;
    this.offsets = new Int32Array(fieldDims.length);
    let s = 0;
    fieldDims.forEach((d, i) => {
      if (!(Number.isInteger(d) && d > 0)) throw new Error(`field ${i} has dimension ${d}; every field needs at least one index`);
      this.offsets[i] = s;
      s += d;
    });
    this.totalRows = s;
  }
  abstract get tables(): SparseEmbedding[];
  abstract get denseVars(): tf.Variable[];
  /** Variables that are learned state but get no gradient (BatchNorm running statistics). */
  get stateVars(): tf.Variable[] { return []; }
  /** logits [B, 1] */
  abstract forward(lookups: EmbeddingLookup[], batchSize: number, ctx: ForwardCtx): tf.Tensor2D;
  /** Dropout rate of the MLP, when the model has one. */
  setDropout(_p: number): void {}
  /** Model-specific alignment measures for a batch's lookups (none by default). */
  alignmentProbe(_lookups: EmbeddingLookup[], _batchSize: number): AlignmentProbe | null { return null; }

  /** Per-field indices (B × F) → table rows. */
  globalIndices(x: Int32Array): Int32Array {
    const F = this.numFields;
    if (x.length % F !== 0) throw new Error(`batch has ${x.length} indices, not a multiple of ${F} fields`);
    const out = new Int32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const f = i % F;
      const v = x[i]!;
      if (v < 0 || v >= this.fieldDims[f]!) throw new Error(`field ${f} index ${v} outside [0, ${this.fieldDims[f]})`);
      out[i] = v + this.offsets[f]!;
    }
    return out;
  }

  dispose(): void {
    tf.dispose([...this.denseVars, ...this.stateVars]);
  }
}

/** torchfm FeaturesLinear: a 1-wide table summed over fields, plus a bias. */
export class FeaturesLinear {
  readonly table: SparseEmbedding;
  readonly bias: tf.Variable;
  constructor(totalRows: number, rng: Rng) {
    this.table = new SparseEmbedding(totalRows, 1, 'normal', rng.fork('linear'), 0.01);
    this.bias = tf.variable(tf.zeros([1]), true, vname('linear.bias'));
  }
  apply(l: EmbeddingLookup, B: number, F: number): tf.Tensor2D {
    return tf.add(tf.sum(tf.reshape(SparseEmbedding.gather(l), [B, F]), 1, true), this.bias) as tf.Tensor2D;
  }
}

export function embed3d(l: EmbeddingLookup, B: number, F: number, D: number): tf.Tensor3D {
  return tf.reshape(SparseEmbedding.gather(l), [B, F, D]);
}
