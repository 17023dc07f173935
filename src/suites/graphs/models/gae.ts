/**
 * Graph auto-encoder (Kipf & Welling 2016, non-variational), as the paper's autoencoder.py:
 * encoder GCNConv(F, 32) → ReLU → [feedback point] → GCNConv(32, 16) = z, marked `fb.output(z)`
 * (DFA's error is dL/dz); decoder σ(z_i · z_j); loss = −mean log σ(pos) − mean log(1 − σ(neg)),
 * negatives resampled every epoch. Adam lr 0.01 (DFA on CiteSeer: 0.02), no weight decay.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import { gatherRows } from '../../../engine/ops/gather_rows';
import type { Feedback } from '../../../feedback';
import type { EdgePairs } from '../data/link_split';
import { GCNConv } from '../nn/gcn_conv';
import type { Graph } from '../nn/graph';
import { numFeatures, type NodeInput } from '../nn/input';
import { namedParams } from './node';

export class GraphAutoEncoder {
  readonly conv1: GCNConv;
  readonly conv2: GCNConv;
  constructor(readonly x: NodeInput, readonly g: Graph, rng: Rng, readonly outChannels = 16) {
    this.conv1 = new GCNConv(rng, numFeatures(x), 2 * outChannels, 'conv1');
    this.conv2 = new GCNConv(rng, 2 * outChannels, outChannels, 'conv2');
  }

  params(): tf.Variable[] {
    return [...this.conv1.params(), ...this.conv2.params()];
  }

  namedVariables(): Record<string, tf.Variable> {
    return namedParams({ conv1: this.conv1.params(), conv2: this.conv2.params() });
  }

  /** z [N, 16]; without a Feedback (evaluation) the markers are left out. */
  encode(fb: Feedback | null): tf.Tensor {
    const h = tf.relu(this.conv1.forward(this.x, this.g, fb));
    if (!fb) return this.conv2.forward(h, this.g);
    return fb.output(this.conv2.forward(fb.point(h, 'h1'), this.g, fb));
  }

  /** Logits z_i · z_j of the pairs. */
  static decode(z: tf.Tensor, e: EdgePairs): tf.Tensor {
    return tf.sum(tf.mul(gatherRows(z, e.src), gatherRows(z, e.dst)), 1);
  }

  /** −mean log σ(pos) − mean log(1 − σ(neg)), written with softplus for stability. */
  static reconLoss(z: tf.Tensor, pos: EdgePairs, neg: EdgePairs): tf.Scalar {
    const lp = GraphAutoEncoder.decode(z, pos), ln = GraphAutoEncoder.decode(z, neg);
    return tf.add(tf.mean(tf.softplus(tf.neg(lp))), tf.mean(tf.softplus(ln))) as tf.Scalar;
  }
}
