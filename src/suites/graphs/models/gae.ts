/**
 * Graph auto-encoder (Kipf & Welling 2016, non-variational), as the paper's autoencoder.py:
 * encoder GCNConv(F, 32) → ReLU → [feedback point] → GCNConv(32, 16) = z, marked `fb.output(z)`
 * (DFA's error is dL/dz); decoder σ(z_i · z_j); loss = −mean log σ(pos) − mean log(1 − σ(neg)),
 * negatives resampled every epoch. Adam lr 0.01 (DFA on CiteSeer: 0.02), no weight decay.
 */
import * as tf from '@tensorflow/tfjs';
import type { Feedback } from '../../../feedback';
import type { Rng } from '../../../engine/rng';
import { GCNConv } from '../nn/gcn_conv';
import type { Graph } from '../nn/graph';
import { numFeatures, type NodeInput } from '../nn/input';
import type { EdgePairs } from '../data/link_split';
import { gatherRows } from '../nn/ops';

export class GraphAutoEncoder {
  readonly conv1: GCNConv;
  readonly conv2: GCNConv;
  constructor(readonly x: NodeInput, readonly g: Graph, rng: Rng, readonly outChannels = 16) {
    this.conv1 = new GCNConv(rng, numFeatures(x), 2 * outChannels);
    this.conv2 = new GCNConv(rng, 2 * outChannels, outChannels);
  }

  params(): tf.Variable[] {
    return [...this.conv1.params(), ...this.conv2.params()];
  }

  encode(fb: Feedback): tf.Tensor {
    const h = fb.point(tf.relu(this.conv1.forward(this.x, this.g)), 'conv1');
    return fb.output(this.conv2.forward(h, this.g));
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
