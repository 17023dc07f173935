/**
 * GATConv (Veličković et al. 2018), as PyG: h = X W split in H heads of C channels;
 * e_ij = LeakyReLU_0.2(a_srcᵀ h_j + a_dstᵀ h_i) over j → i edges plus a self loop per node;
 * α = softmax over each node's incoming edges, dropout on α while training (the core dropout);
 * x'_i = Σ_j α_ij h_j, heads concatenated (or averaged), + b. Glorot W and a, zero b.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { Feedback } from '../../../feedback';
import { gatherRows } from '../../../engine/ops/gather_rows';
import { propagate } from '../../../engine/ops/propagate';
import { segmentSoftmax } from '../../../engine/ops/segment_softmax';
import { dropout } from '../../../nn/dropout';
import { initWeights } from '../../../nn/init';
import type { Graph } from './graph';
import { project, type NodeInput } from './input';
import { param } from './param';

export class GATConv {
  readonly weight: tf.Variable;
  readonly attSrc: tf.Variable;
  readonly attDst: tf.Variable;
  readonly bias: tf.Variable;

  constructor(rng: Rng, readonly inChannels: number, readonly outChannels: number, readonly heads = 1, readonly concat = true,
    readonly dropout = 0, readonly negativeSlope = 0.2, readonly name = 'gat') {
    this.weight = param(initWeights('glorot', rng, inChannels, heads * outChannels), [inChannels, heads * outChannels]);
    // PyG 1.x keeps one [1, H, 2C] attention tensor, glorot over (H, 2C); split it the same way.
    const att = initWeights('glorot', rng, heads, 2 * outChannels);
    const srcPart = new Float32Array(heads * outChannels), dstPart = new Float32Array(heads * outChannels);
    for (let h = 0; h < heads; h++) {
      for (let c = 0; c < outChannels; c++) {
        // PyG 1.x: alpha = cat([x_i, x_j]) · att, so the first C entries weigh the target.
        dstPart[h * outChannels + c] = att[h * 2 * outChannels + c]!;
        srcPart[h * outChannels + c] = att[h * 2 * outChannels + outChannels + c]!;
      }
    }
    this.attSrc = param(srcPart, [heads, outChannels]);
    this.attDst = param(dstPart, [heads, outChannels]);
    this.bias = param(new Float32Array(concat ? heads * outChannels : outChannels), [concat ? heads * outChannels : outChannels]);
  }

  params(): tf.Variable[] {
    return [this.weight, this.attSrc, this.attDst, this.bias];
  }

  /**
   * Returns the output and the attention coefficients α [E', H] over the self-looped edges. `rng`:
   * training (attention dropout); null: evaluation. `fb`: a dense input's product X·W goes through
   * it (the layer-wise methods' feedback, under the layer's name); the attention vectors act
   * elementwise, not as a weight matrix, and keep their true gradients.
   */
  forwardWithAttention(x: NodeInput, g: Graph, rng: Rng | null, fb?: Feedback | null): { out: tf.Tensor; alpha: tf.Tensor } {
    const H = this.heads, C = this.outChannels;
    const gl = g.withSelfLoops();
    const N = gl.numNodes;
    const h = project(x, this.weight, fb, this.name); // [N, H*C]
    const h3 = tf.reshape(h, [N, H, C]);
    const aSrc = tf.sum(tf.mul(h3, this.attSrc), 2); // [N, H]
    const aDst = tf.sum(tf.mul(h3, this.attDst), 2);
    const e = tf.leakyRelu(tf.add(gatherRows(aSrc, gl.src), gatherRows(aDst, gl.dst)), this.negativeSlope);
    const alpha = segmentSoftmax(e, gl.dst, N);
    let out = propagate(h, gl, dropout(alpha, this.dropout, rng), H); // [N, H*C]
    if (!this.concat && H > 1) out = tf.mean(tf.reshape(out, [N, H, C]), 1);
    return { out: tf.add(out, this.bias), alpha };
  }

  forward(x: NodeInput, g: Graph, rng: Rng | null, fb?: Feedback | null): tf.Tensor {
    return this.forwardWithAttention(x, g, rng, fb).out;
  }
}
