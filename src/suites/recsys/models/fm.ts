/** Factorization Machine (Rendle 2010; torchfm FactorizationMachineModel): linear + pairwise FM. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { SparseEmbedding } from '../../../nn/sparse_embedding';
import { factorizationMachine } from './fm_term';
import { embed3d, FeaturesLinear, RecsysModel, type RecsysForward } from './model';

export interface FMOptions { embedDim?: number; seed?: number }

export class FM extends RecsysModel {
  readonly name = 'fm' as const;
  readonly linear: FeaturesLinear;
  readonly embedding: SparseEmbedding;
  readonly embedDim: number;
  readonly mlp = null;
  constructor(fieldDims: number[], opts: FMOptions = {}) {
    super(fieldDims);
    const rng = new Rng(opts.seed ?? 0).fork('fm');
    this.embedDim = opts.embedDim ?? 10;
    this.linear = new FeaturesLinear(this.totalRows, rng);
    this.embedding = new SparseEmbedding(this.totalRows, this.embedDim, 'xavier', rng.fork('embedding'));
  }
  namedTables() { return { linear: this.linear.table, embedding: this.embedding }; }
  namedVariables() { return { 'linear.bias': this.linear.bias }; }
  forward(rows: tf.Tensor2D[], B: number, _ctx: RecsysForward): tf.Tensor2D {
    const e = embed3d(rows[1]!, B, this.numFields, this.embedDim);
    return tf.add(this.linear.apply(rows[0]!, B, this.numFields), factorizationMachine(e)) as tf.Tensor2D;
  }
}
