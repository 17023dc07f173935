/** Factorization Machine (Rendle 2010; torchfm FactorizationMachineModel): linear + pairwise FM. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { factorizationMachine, type ForwardCtx } from './layers';
import { embed3d, FeaturesLinear, RecsysModel } from './model';
import { SparseEmbedding, type EmbeddingLookup } from '../../../nn/sparse_embedding';

export interface FMOptions { embedDim?: number; seed?: number }

export class FM extends RecsysModel {
  readonly name = 'fm' as const;
  readonly linear: FeaturesLinear;
  readonly embedding: SparseEmbedding;
  readonly embedDim: number;
  constructor(fieldDims: number[], opts: FMOptions = {}) {
    super(fieldDims);
    const rng = new Rng(opts.seed ?? 0).fork('fm');
    this.embedDim = opts.embedDim ?? 10;
    this.linear = new FeaturesLinear(this.totalRows, rng);
    this.embedding = new SparseEmbedding(this.totalRows, this.embedDim, 'xavier', rng.fork('embedding'));
  }
  get tables() { return [this.linear.table, this.embedding]; }
  get denseVars() { return [this.linear.bias]; }
  forward(l: EmbeddingLookup[], B: number, _ctx: ForwardCtx): tf.Tensor2D {
    const e = embed3d(l[1]!, B, this.numFields, this.embedDim);
    return tf.add(this.linear.apply(l[0]!, B, this.numFields), factorizationMachine(e)) as tf.Tensor2D;
  }
}
