/**
 * GATConv (Veličković et al. 2018), as PyG: h = X W split in H heads of C channels;
 * e_ij = LeakyReLU_0.2(a_srcᵀ h_j + a_dstᵀ h_i) over j → i edges plus a self loop per node;
 * α = softmax over each node's incoming edges, dropout on α while training;
 * x'_i = Σ_j α_ij h_j, heads concatenated (or averaged), + b. Glorot W and a, zero b.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { Graph } from './graph';
import { glorot, zeros } from './init';
import { linear, type NodeInput } from './input';
import { gatherRows, propagate, segmentSoftmax } from './ops';

export class GATConv {
  readonly weight: tf.Variable;
  readonly attSrc: tf.Variable;
  readonly attDst: tf.Variable;
  readonly bias: tf.Variable;

  constructor(rng: Rng, readonly inChannels: number, readonly outChannels: number, readonly heads = 1, readonly concat = true,
    readonly dropout = 0, readonly negativeSlope = 0.2, name = 'gat') {
    this.weight = glorot(rng, [inChannels, heads * outChannels]);
    // PyG 1.x keeps one [1, H, 2C] attention tensor, glorot over (H, 2C); split it the same way.
    const a = Math.sqrt(6 / (heads + 2 * outChannels));
    const att = rng.uniformArray(heads * 2 * outChannels, -a, a);
    const srcPart = new Float32Array(heads * outChannels), dstPart = new Float32Array(heads * outChannels);
    for (let h = 0; h < heads; h++) {
      for (let c = 0; c < outChannels; c++) {
        // PyG 1.x: alpha = cat([x_i, x_j]) · att, so the first C entries weigh the target.
        dstPart[h * outChannels + c] = att[h * 2 * outChannels + c]!;
        srcPart[h * outChannels + c] = att[h * 2 * outChannels + outChannels + c]!;
      }
    }
    this.attSrc = tf.variable(tf.tensor2d(srcPart, [heads, outChannels]), true);
    this.attDst = tf.variable(tf.tensor2d(dstPart, [heads, outChannels]), true);
    this.bias = zeros([concat ? heads * outChannels : outChannels]);
  }

  params(): tf.Variable[] {
    return [this.weight, this.attSrc, this.attDst, this.bias];
  }

  /** Returns the output and the attention coefficients α [E', H] over the self-looped edges. */
  forwardWithAttention(x: NodeInput, g: Graph, training: boolean, rng: Rng): { out: tf.Tensor; alpha: tf.Tensor } {
    const H = this.heads, C = this.outChannels;
    const gl = g.withSelfLoops();
    const N = gl.numNodes;
    const h = linear(x, this.weight); // [N, H*C]
    const h3 = tf.reshape(h, [N, H, C]);
    const aSrc = tf.sum(tf.mul(h3, this.attSrc), 2); // [N, H]
    const aDst = tf.sum(tf.mul(h3, this.attDst), 2);
    const e = tf.leakyRelu(tf.add(gatherRows(aSrc, gl.src), gatherRows(aDst, gl.dst)), this.negativeSlope);
    const alpha = segmentSoftmax(e, gl.dst, N);
    let a = alpha;
    if (training && this.dropout > 0) {
      const m = new Float32Array(alpha.size);
      const keep = 1 / (1 - this.dropout);
      for (let i = 0; i < m.length; i++) m[i] = rng.next() < this.dropout ? 0 : keep;
      a = tf.mul(alpha, tf.tensor(m, alpha.shape));
    }
    let out = propagate(h, gl, a, H); // [N, H*C]
    if (!this.concat && H > 1) out = tf.mean(tf.reshape(out, [N, H, C]), 1);
    return { out: tf.add(out, this.bias), alpha };
  }

  forward(x: NodeInput, g: Graph, training: boolean, rng: Rng): tf.Tensor {
    return this.forwardWithAttention(x, g, training, rng).out;
  }
}
