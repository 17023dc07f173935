/**
 * What every recommender model shares: per-field indices are offset into one table per kind
 * (torchfm's FeaturesLinear / FeaturesEmbedding), tables train sparsely (SparseEmbedding), dense
 * layers come from the core (Linear, MLP with BatchNorm). A forward gets the rows the batch
 * gathered from each table (same order as `tables`) and returns logits [B, 1]; the caller applies
 * fb.output and the loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { Feedback } from '../../../feedback';
import { Linear } from '../../../nn/linear';
import { MLP } from '../../../nn/mlp';
import { SparseEmbedding } from '../../../nn/sparse_embedding';

export type RecsysModelName = 'fm' | 'deepfm' | 'dcn' | 'afn';
export const RECSYS_MODELS: readonly RecsysModelName[] = ['fm', 'deepfm', 'dcn', 'afn'];

export interface RecsysForward {
  /** the training pass's Feedback (null: a plain forward) */
  fb: Feedback | null;
  /** dropout and BatchNorm batch statistics */
  training: boolean;
  /** dropout masks (training only) */
  rng: Rng | null;
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
  /** The sparse tables under stable names, in the order the forward takes their rows. */
  abstract namedTables(): Record<string, SparseEmbedding>;
  /** Dense trainable variables under stable names (checkpoint keys). */
  abstract namedVariables(): Record<string, tf.Variable>;
  /** The MLP, for models that have one (its BatchNorm statistics are learned state). */
  abstract readonly mlp: MLP | null;
  /** logits [B, 1] from each table's gathered rows [B·F, dim] */
  abstract forward(rows: tf.Tensor2D[], batchSize: number, ctx: RecsysForward): tf.Tensor2D;

  get tables(): SparseEmbedding[] {
    return Object.values(this.namedTables());
  }

  /** Learned state without a gradient (BatchNorm running statistics) under stable names. */
  namedStateVariables(): Record<string, tf.Variable> {
    return Object.fromEntries((this.mlp?.norms ?? []).flatMap((n) => [[`${n.name}.runMean`, n.runMean], [`${n.name}.runVar`, n.runVar]]));
  }

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
    tf.dispose([...Object.values(this.namedVariables()), ...Object.values(this.namedStateVariables())]);
  }
}

/** torchfm FeaturesLinear: a 1-wide table summed over fields, plus a bias. */
export class FeaturesLinear {
  readonly table: SparseEmbedding;
  readonly bias: tf.Variable;
  constructor(totalRows: number, rng: Rng) {
    this.table = new SparseEmbedding(totalRows, 1, 'normal', rng.fork('linear'), 0.01);
    this.bias = tf.variable(tf.zeros([1]), true);
  }
  /** rows: the batch's gathered rows of `table` [B·F, 1] */
  apply(rows: tf.Tensor2D, B: number, F: number): tf.Tensor2D {
    return tf.add(tf.sum(tf.reshape(rows, [B, F]), 1, true), this.bias) as tf.Tensor2D;
  }
}

/** A table's gathered rows [B·F, D] as [B, F, D]. */
export function embed3d(rows: tf.Tensor2D, B: number, F: number, D: number): tf.Tensor3D {
  return tf.reshape(rows, [B, F, D]);
}

/**
 * torchfm's MultiLayerPerceptron without its output layer, from the core MLP: blocks Linear →
 * BatchNorm → ReLU → dropout with torch's init, layers `mlp.fc<i>`, feedback points `mlp.h<i>`.
 */
export function recsysMlp(inputDim: number, hidden: number[], dropout: number, batchNorm: boolean, rng: Rng): MLP {
  return new MLP({ inputDim, hidden, activation: 'relu', dropout, batchNorm, init: 'torch', rng, name: 'mlp.' });
}

/** The output layer [inDim → 1], torch's init. */
export function outputLayer(name: string, inDim: number, rng: Rng): Linear {
  return new Linear({ inDim, outDim: 1, rng, init: 'torch', name });
}
