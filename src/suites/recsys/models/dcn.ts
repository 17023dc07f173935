/**
 * Deep & Cross Network (Wang et al. 2017; torchfm DeepCrossNetworkModel): embedding 16,
 * 6 cross layers and an MLP 1024-1024 side by side over the flattened embeddings, one linear
 * layer on their concatenation. DFA placement (paper §3.1.2): the MLP, the cross network and the
 * embeddings all learn by DFA: a feedback point on the embeddings (x0), after every cross layer
 * and after every MLP block; only the output layer gets its true gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { alignmentStat, type AlignmentStat } from '../../../feedback';
import { CrossNetwork, Linear, MLP, type ForwardCtx } from './layers';
import { embed3d, RecsysModel, type AlignmentProbe } from './model';
import { SparseEmbedding, type EmbeddingLookup } from '../../../nn/sparse_embedding';

export interface DCNOptions { embedDim?: number; crossLayers?: number; mlpDims?: number[]; dropout?: number; batchNorm?: boolean; seed?: number }

export class DeepCrossNetwork extends RecsysModel {
  readonly name = 'dcn' as const;
  readonly embedding: SparseEmbedding;
  readonly cross: CrossNetwork;
  readonly mlp: MLP;
  readonly top: Linear;
  readonly embedDim: number;
  constructor(fieldDims: number[], opts: DCNOptions = {}) {
    super(fieldDims);
    const rng = new Rng(opts.seed ?? 0).fork('dcn');
    this.embedDim = opts.embedDim ?? 16;
    const din = this.numFields * this.embedDim;
    this.embedding = new SparseEmbedding(this.totalRows, this.embedDim, 'xavier', rng.fork('embedding'));
    this.cross = new CrossNetwork(din, opts.crossLayers ?? 6, rng.fork('cross'));
    const dims = opts.mlpDims ?? [1024, 1024];
    this.mlp = new MLP('mlp', din, dims, opts.dropout ?? 0, rng.fork('mlp'), opts.batchNorm ?? true);
    this.top = new Linear('out', dims[dims.length - 1]! + din, 1, rng.fork('top'));
  }
  get tables() { return [this.embedding]; }
  get denseVars() { return [...this.cross.vars, ...this.mlp.vars, ...this.top.vars]; }
  override get stateVars() { return this.mlp.stateVars; }
  override setDropout(p: number): void { this.mlp.dropoutRate = p; }
  /**
   * `cross<k>.xw`: DFA signal vs BP gradient at cross layer k's scalar x_k·w_k (x0·signal vs
   * x0·gradient), the output of the Linear(·, 1) module that TinyDFA's AlignmentMeasurement hooks
   * in the paper's code. A cosine between two scalars is their sign agreement (±1), which is why
   * the paper's Deep&Cross value (Table A.1) has std 0.91.
   */
  override alignmentProbe(l: EmbeddingLookup[], B: number): AlignmentProbe {
    const x0 = tf.tidy(() => tf.reshape(SparseEmbedding.gather(l[0]!), [B, -1]));
    const out: AlignmentStat[] = [];
    return {
      inspect(point, s, g) {
        if (!/^cross\d+$/.test(point)) return;
        const [ps, pg] = tf.tidy(() => [tf.sum(tf.mul(x0, s), 1, true), tf.sum(tf.mul(x0, g), 1, true)]);
        out.push(alignmentStat(`${point}.xw`, ps!, pg!));
        tf.dispose([ps!, pg!]);
      },
      stats: () => out,
      dispose: () => x0.dispose(),
    };
  }
  forward(l: EmbeddingLookup[], B: number, ctx: ForwardCtx): tf.Tensor2D {
    let x0 = tf.reshape(embed3d(l[0]!, B, this.numFields, this.embedDim), [B, this.numFields * this.embedDim]) as tf.Tensor2D;
    if (ctx.fb) x0 = ctx.fb.point(x0, 'embedding') as tf.Tensor2D;
    const xc = this.cross.apply(x0, ctx);
    const hm = this.mlp.apply(x0, ctx);
    // out = [xc, hm]·W + b, computed as xc·W[:din] + hm·W[din:] + b: the same layer, but the
    // backward avoids splitting a [B, din + 1024] gradient (SplitV is very slow on our backends).
    const din = xc.shape[1];
    const W = this.top.W as tf.Tensor2D;
    const wc = tf.slice(W, [0, 0], [din, 1]);
    const wm = tf.slice(W, [din, 0], [W.shape[0] - din, 1]);
    const dense = (x: tf.Tensor2D, w: tf.Tensor2D, n: string) => (ctx.fb ? ctx.fb.dense(x, w, undefined, n) : tf.matMul(x, w)) as tf.Tensor2D;
    return tf.add(tf.add(dense(xc, wc, 'out.cross'), dense(hm, wm, 'out.deep')), this.top.b!) as tf.Tensor2D;
  }
}
