/**
 * DeepFM (Guo et al. 2017; torchfm DeepFactorizationMachineModel): linear + FM + MLP over the
 * flattened embeddings, embedding 10, MLP 400-400-400 with dropout.
 * DFA placement (paper §3.1.2): the MLP learns by DFA (a feedback point after each block) and
 * its input is detached, so the embeddings learn by gradient descent through the FM part only.
 * Under BP everything backpropagates; under shallow the hidden MLP blocks are frozen. Other methods
 * take the placement of their family (placement.ts): drtp DFA's, the layer-wise ones BP's.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { detach } from '../../../feedback';
import type { Linear } from '../../../nn/linear';
import type { MLP } from '../../../nn/mlp';
import { SparseEmbedding } from '../../../nn/sparse_embedding';
import { factorizationMachine } from './fm_term';
import { placementIn } from './placement';
import { embed3d, FeaturesLinear, outputLayer, RecsysModel, recsysMlp, type RecsysForward } from './model';

export interface DeepFMOptions {
  embedDim?: number; mlpDims?: number[]; dropout?: number; batchNorm?: boolean; seed?: number;
  /**
   * Whether BP and the layer-wise methods carry the MLP's gradient into the embeddings (default true: plain DeepFM).
   * false gives BP the embedding path DFA has (FM only): a diagnostic that separates the effect
   * of the MLP's training signal from the effect of where the embeddings learn.
   */
  mlpGradToEmbeddings?: boolean;
  /**
   * Direct methods only (dfa, drtp): a feedback point on the MLP's input, so the embeddings learn from the MLP's DFA
   * signal as well as the FM's true gradient, as Deep&Cross's embeddings do (default false:
   * the paper's placement, FM only). A variant for asking what the placement costs.
   */
  embeddingPoint?: boolean;
}

export class DeepFM extends RecsysModel {
  readonly name = 'deepfm' as const;
  readonly linear: FeaturesLinear;
  readonly embedding: SparseEmbedding;
  readonly mlp: MLP;
  readonly top: Linear;
  readonly embedDim: number;
  readonly mlpGradToEmbeddings: boolean;
  readonly embeddingPoint: boolean;
  constructor(fieldDims: number[], opts: DeepFMOptions = {}) {
    super(fieldDims);
    const rng = new Rng(opts.seed ?? 0).fork('deepfm');
    this.embedDim = opts.embedDim ?? 10;
    this.mlpGradToEmbeddings = opts.mlpGradToEmbeddings ?? true;
    this.embeddingPoint = opts.embeddingPoint ?? false;
    this.linear = new FeaturesLinear(this.totalRows, rng);
    this.embedding = new SparseEmbedding(this.totalRows, this.embedDim, 'xavier', rng.fork('embedding'));
    const dims = opts.mlpDims ?? [400, 400, 400];
    this.mlp = recsysMlp(this.numFields * this.embedDim, dims, opts.dropout ?? 0.5, opts.batchNorm ?? true, rng.fork('mlp'));
    this.top = outputLayer('mlp.out', dims[dims.length - 1]!, rng.fork('top'));
  }
  namedTables() { return { linear: this.linear.table, embedding: this.embedding }; }
  namedVariables() { return { 'linear.bias': this.linear.bias, ...this.mlp.namedVariables(), ...this.top.namedVariables() }; }
  forward(rows: tf.Tensor2D[], B: number, ctx: RecsysForward): tf.Tensor2D {
    const e = embed3d(rows[1]!, B, this.numFields, this.embedDim);
    let flat = tf.reshape(e, [B, this.numFields * this.embedDim]) as tf.Tensor2D;
    // The direct methods and shallow: the embeddings get no signal from the MLP, only the FM's
    // true gradient (unless the embeddingPoint variant gives them the MLP's direct signal too).
    const place = placementIn(ctx.fb);
    if (place === 'direct' && this.embeddingPoint) flat = ctx.fb!.point(flat, 'embedding') as tf.Tensor2D;
    else if (place !== null && (place !== 'backprop' || !this.mlpGradToEmbeddings)) flat = detach(flat);
    const deep = this.top.apply(this.mlp.forward(flat, ctx.fb, ctx), ctx.fb);
    return tf.add(tf.add(this.linear.apply(rows[0]!, B, this.numFields), factorizationMachine(e)), deep) as tf.Tensor2D;
  }
}
