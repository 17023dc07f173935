/**
 * Adaptive Factorization Network (Cheng et al. 2020; torchfm AdaptiveFactorizationNetwork):
 * linear + MLP 400-400-400 over a logarithmic layer of 1500 neurons on embeddings of 10.
 * DFA placement (paper §3.1.2): the logarithmic layer and the MLP learn by DFA (feedback points
 * after the LNN and after every MLP block). The embeddings feed only the LNN, so they learn from
 * the DFA signal at the LNN output, carried back through the LNN layer itself (the paper does
 * not say more); the linear part gets its true gradient. `dfaEmbeddings: 'frozen'` keeps them at
 * their initial values under DFA instead, as the paper's code ends up doing (its DFALayer in front
 * of the LNN is never registered with the DFA module, so nothing flows past it). drtp takes DFA's
 * placement, the layer-wise methods BP's (placement.ts), their B_l also in the LNN's weight layer.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { detach } from '../../../feedback';
import type { Linear } from '../../../nn/linear';
import type { MLP } from '../../../nn/mlp';
import { SparseEmbedding } from '../../../nn/sparse_embedding';
import { LNN } from './lnn';
import { placementIn } from './placement';
import { embed3d, FeaturesLinear, outputLayer, RecsysModel, recsysMlp, type RecsysForward } from './model';

export interface AFNOptions {
  embedDim?: number; lnnDim?: number; mlpDims?: number[]; dropout?: number; batchNorm?: boolean; seed?: number;
  /** under the direct methods (dfa, drtp): 'lnn' (default) the embeddings learn from the LNN point's signal; 'frozen' they do not learn */
  dfaEmbeddings?: 'lnn' | 'frozen';
}

export class AFN extends RecsysModel {
  readonly name = 'afn' as const;
  readonly linear: FeaturesLinear;
  readonly embedding: SparseEmbedding;
  readonly lnn: LNN;
  readonly mlp: MLP;
  readonly top: Linear;
  readonly embedDim: number;
  readonly dfaEmbeddings: 'lnn' | 'frozen';
  constructor(fieldDims: number[], opts: AFNOptions = {}) {
    super(fieldDims);
    const rng = new Rng(opts.seed ?? 0).fork('afn');
    this.embedDim = opts.embedDim ?? 10;
    this.dfaEmbeddings = opts.dfaEmbeddings ?? 'lnn';
    this.linear = new FeaturesLinear(this.totalRows, rng);
    this.embedding = new SparseEmbedding(this.totalRows, this.embedDim, 'xavier', rng.fork('embedding'));
    this.lnn = new LNN(this.numFields, this.embedDim, opts.lnnDim ?? 1500, rng.fork('lnn'));
    const dims = opts.mlpDims ?? [400, 400, 400];
    this.mlp = recsysMlp(this.lnn.outDim, dims, opts.dropout ?? 0.3, opts.batchNorm ?? true, rng.fork('mlp'));
    this.top = outputLayer('mlp.out', dims[dims.length - 1]!, rng.fork('top'));
  }
  namedTables() { return { linear: this.linear.table, embedding: this.embedding }; }
  namedVariables() {
    return { 'linear.bias': this.linear.bias, ...this.lnn.namedVariables(), ...this.mlp.namedVariables(), ...this.top.namedVariables() };
  }
  forward(rows: tf.Tensor2D[], B: number, ctx: RecsysForward): tf.Tensor2D {
    let e = embed3d(rows[1]!, B, this.numFields, this.embedDim);
    if (placementIn(ctx.fb) === 'direct' && this.dfaEmbeddings === 'frozen') e = detach(e) as tf.Tensor3D;
    let h = this.lnn.apply(e, ctx.fb);
    if (ctx.fb) h = ctx.fb.point(h, 'lnn') as tf.Tensor2D;
    const deep = this.top.apply(this.mlp.forward(h, ctx.fb, ctx), ctx.fb);
    return tf.add(this.linear.apply(rows[0]!, B, this.numFields), deep) as tf.Tensor2D;
  }
}
