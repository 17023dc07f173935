/**
 * Deep & Cross Network (Wang et al. 2017; torchfm DeepCrossNetworkModel): embedding 16,
 * 6 cross layers and an MLP 1024-1024 side by side over the flattened embeddings, one linear
 * layer on their concatenation. DFA placement (paper §3.1.2): the MLP, the cross network and the
 * embeddings all learn by DFA: a feedback point on the embeddings (x0), after every cross layer
 * and after every MLP block; only the output layer gets its true gradient.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { linear, type Linear } from '../../../nn/linear';
import type { MLP } from '../../../nn/mlp';
import { SparseEmbedding } from '../../../nn/sparse_embedding';
import { CrossNetwork } from './cross_network';
import { embed3d, outputLayer, RecsysModel, recsysMlp, type RecsysForward } from './model';

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
    this.mlp = recsysMlp(din, dims, opts.dropout ?? 0, opts.batchNorm ?? true, rng.fork('mlp'));
    this.top = outputLayer('out', dims[dims.length - 1]! + din, rng.fork('top'));
  }
  namedTables() { return { embedding: this.embedding }; }
  namedVariables() { return { ...this.cross.namedVariables(), ...this.mlp.namedVariables(), ...this.top.namedVariables() }; }
  /** The cross network's (and the MLP's) input x0 [B, F·D]: the flattened embeddings of the batch. */
  crossInput(rows: tf.Tensor2D[], B: number): tf.Tensor2D {
    return tf.reshape(embed3d(rows[0]!, B, this.numFields, this.embedDim), [B, this.numFields * this.embedDim]);
  }
  forward(rows: tf.Tensor2D[], B: number, ctx: RecsysForward): tf.Tensor2D {
    let x0 = this.crossInput(rows, B);
    if (ctx.fb) x0 = ctx.fb.point(x0, 'embedding') as tf.Tensor2D;
    const xc = this.cross.apply(x0, ctx.fb);
    const hm = this.mlp.forward(x0, ctx.fb, ctx) as tf.Tensor2D;
    // out = [xc, hm]·W + b, computed as xc·W[:din] + hm·W[din:] + b: the same layer, but the
    // backward avoids splitting a [B, din + 1024] gradient (SplitV is very slow on our backends).
    const din = xc.shape[1];
    const W = this.top.W as tf.Tensor2D;
    // one split of the [din + 1024, 1] weight: its gradient is one concatenation (two slices'
    // gradients would be two PadV2, which runs on tfjs's generic JS kernel: ~1.5 ms a step)
    const [wc, wm] = tf.split(W, [din, W.shape[0] - din], 0) as [tf.Tensor2D, tf.Tensor2D];
    return tf.add(tf.add(linear(xc, wc, undefined, ctx.fb, 'out.cross'), linear(hm, wm, undefined, ctx.fb, 'out.deep')), this.top.b!) as tf.Tensor2D;
  }
}
