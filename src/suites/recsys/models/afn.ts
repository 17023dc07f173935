/**
 * Adaptive Factorization Network (Cheng et al. 2020; torchfm AdaptiveFactorizationNetwork):
 * linear + MLP 400-400-400 over a logarithmic layer of 1500 neurons on embeddings of 10.
 * DFA placement (paper §3.1.2): the logarithmic layer and the MLP learn by DFA (feedback points
 * after the LNN and after every MLP block). The embeddings feed only the LNN, so they learn from
 * the DFA signal at the LNN output, carried back through the LNN layer itself (the paper does
 * not say more); the linear part gets its true gradient. `dfaEmbeddings: 'frozen'` keeps them at
 * their initial values under DFA instead, as the paper's code ends up doing (its DFALayer in front
 * of the LNN is never registered with the DFA module, so nothing flows past it).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { detach } from '../../../feedback';
import { Linear, LNN, MLP, type ForwardCtx } from './layers';
import { embed3d, FeaturesLinear, RecsysModel } from './model';
import { SparseEmbedding, type EmbeddingLookup } from '../../../nn/sparse_embedding';

export interface AFNOptions {
  embedDim?: number; lnnDim?: number; mlpDims?: number[]; dropout?: number; batchNorm?: boolean; seed?: number;
  /** under DFA: 'lnn' (default) the embeddings learn from the LNN point's signal; 'frozen' they do not learn */
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
    this.mlp = new MLP('mlp', this.lnn.outDim, dims, opts.dropout ?? 0.3, rng.fork('mlp'), opts.batchNorm ?? true);
    this.top = new Linear('mlp.out', dims[dims.length - 1]!, 1, rng.fork('top'));
  }
  get tables() { return [this.linear.table, this.embedding]; }
  get denseVars() { return [this.linear.bias, ...this.lnn.vars, ...this.mlp.vars, ...this.top.vars]; }
  override get stateVars() { return this.mlp.stateVars; }
  override setDropout(p: number): void { this.mlp.dropoutRate = p; }
  forward(l: EmbeddingLookup[], B: number, ctx: ForwardCtx): tf.Tensor2D {
    let e = embed3d(l[1]!, B, this.numFields, this.embedDim);
    if (ctx.fb?.method === 'dfa' && this.dfaEmbeddings === 'frozen') e = detach(e) as tf.Tensor3D;
    let h = this.lnn.apply(e);
    if (ctx.fb) h = ctx.fb.point(h, 'lnn') as tf.Tensor2D;
    const deep = this.top.apply(this.mlp.apply(h, ctx), ctx);
    return tf.add(this.linear.apply(l[0]!, B, this.numFields), deep) as tf.Tensor2D;
  }
}
