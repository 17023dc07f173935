/**
 * The node classifiers of the paper's section 3.2, as its code builds them (PyTorch Geometric,
 * paper-experiments/geometric-learning/models.py): two-layer ChebNet, GCN (GraphConv), SplineNet
 * and GAT, each with a BP variant and a DFA variant (which shallow training also uses, appendix B).
 * The DFA variants put a feedback point after the hidden non-linearity; the architecture-internal
 * dropout differs per method (appendix C). Every forward marks `fb.output(logits)`, where DFA's
 * error is taken (before log-softmax).
 */
import * as tf from '@tensorflow/tfjs';
import type { Feedback } from '../../../feedback';
import { Rng } from '../../../engine/rng';
import { ChebConv } from '../nn/cheb_conv';
import { GATConv } from '../nn/gat_conv';
import { GCNConv } from '../nn/gcn_conv';
import type { Graph } from '../nn/graph';
import { dropout, numFeatures, type NodeInput } from '../nn/input';
import { SplineConv } from '../nn/spline_conv';

export interface NodeClassifier {
  /** trainable parameters, with the weight decay each gets */
  groups(): { params: tf.Variable[]; weightDecay: number }[];
  params(): tf.Variable[];
  /** logits [N, C] (or log-probabilities where `errorAfterLogSoftmax`), marked with fb.output */
  forward(fb: Feedback, training: boolean, rng: Rng): tf.Tensor;
  /** the hidden representation (after the first non-linearity), eval mode: t-SNE */
  hidden?(): tf.Tensor;
  /** the model's output is already log-softmax (DNA): the loss is plain NLL on it */
  readonly logSoftmaxOutput?: boolean;
}

export type Arch = 'cheb' | 'gcn' | 'spline' | 'gat' | 'dna';
export type GraphMethod = 'bp' | 'dfa' | 'shallow';

abstract class TwoLayer implements NodeClassifier {
  constructor(protected x: NodeInput, protected g: Graph) {}
  abstract params(): tf.Variable[];
  abstract groups(): { params: tf.Variable[]; weightDecay: number }[];
  abstract forward(fb: Feedback, training: boolean, rng: Rng): tf.Tensor;
}

/** GCN / ChebNet: relu(conv1) → dropout → [point] → conv2; weight decay on conv1 only. */
export class GCNNet extends TwoLayer {
  readonly conv1: GCNConv | ChebConv;
  readonly conv2: GCNConv | ChebConv;
  constructor(x: NodeInput, g: Graph, numClasses: number, rng: Rng, readonly opts: { cheb?: boolean; hidden?: number; dropout: number; weightDecay: number }) {
    super(x, g);
    const h = opts.hidden ?? 16, F = numFeatures(x);
    this.conv1 = opts.cheb ? new ChebConv(rng, F, h, 2, 'conv1') : new GCNConv(rng, F, h, 'conv1');
    this.conv2 = opts.cheb ? new ChebConv(rng, h, numClasses, 2, 'conv2') : new GCNConv(rng, h, numClasses, 'conv2');
  }
  params(): tf.Variable[] {
    return [...this.conv1.params(), ...this.conv2.params()];
  }
  groups() {
    return [{ params: this.conv1.params(), weightDecay: this.opts.weightDecay }, { params: this.conv2.params(), weightDecay: 0 }];
  }
  hidden(): tf.Tensor {
    return tf.relu(this.conv1.forward(this.x, this.g));
  }
  forward(fb: Feedback, training: boolean, rng: Rng): tf.Tensor {
    let h = tf.relu(this.conv1.forward(this.x, this.g));
    h = dropout(h, this.opts.dropout, training, rng);
    h = fb.point(h, 'conv1');
    return fb.output(this.conv2.forward(h, this.g));
  }
}

/**
 * SplineNet: dropout 0.5 on x → elu(conv1) → [point] → dropout 0.5 → conv2, weight decay 5e-3 on
 * everything, pseudo-coordinates from TargetIndegree; the same settings for BP and DFA.
 */
export class SplineNet extends TwoLayer {
  readonly conv1: SplineConv;
  readonly conv2: SplineConv;
  constructor(x: NodeInput, g: Graph, numClasses: number, rng: Rng, readonly opts: { hidden?: number; dropout: number; weightDecay: number }) {
    super(x, g);
    const h = opts.hidden ?? 16;
    this.conv1 = new SplineConv(rng, numFeatures(x), h, 2, 'conv1');
    this.conv2 = new SplineConv(rng, h, numClasses, 2, 'conv2');
  }
  params(): tf.Variable[] {
    return [...this.conv1.params(), ...this.conv2.params()];
  }
  groups() {
    return [{ params: this.params(), weightDecay: this.opts.weightDecay }];
  }
  hidden(): tf.Tensor {
    return tf.elu(this.conv1.forward(this.x, this.g));
  }
  forward(fb: Feedback, training: boolean, rng: Rng): tf.Tensor {
    const x = dropout(this.x, this.opts.dropout, training, rng);
    let h = tf.elu(this.conv1.forward(x, this.g));
    h = fb.point(h, 'conv1');
    h = dropout(h, this.opts.dropout, training, rng);
    return fb.output(this.conv2.forward(h, this.g));
  }
}

/**
 * GAT: dropout on x → elu(GAT 8 heads × 8, attention dropout 0.6) → [point] → dropout →
 * GAT(64 → classes, 1 head). BP: dropouts 0.6 / 0.6, conv2 attention dropout 0.6, wd 5e-4.
 * DFA: dropouts 0.1 / 0.1, conv2 attention dropout 0, wd 1e-4 (appendix C). lr 0.005.
 */
export class GATNet extends TwoLayer {
  readonly conv1: GATConv;
  readonly conv2: GATConv;
  constructor(x: NodeInput, g: Graph, numClasses: number, rng: Rng, readonly opts: { dropout: number; att2Dropout: number; weightDecay: number }) {
    super(x, g);
    this.conv1 = new GATConv(rng, numFeatures(x), 8, 8, true, 0.6, 0.2, 'conv1');
    this.conv2 = new GATConv(rng, 64, numClasses, 1, true, opts.att2Dropout, 0.2, 'conv2');
  }
  params(): tf.Variable[] {
    return [...this.conv1.params(), ...this.conv2.params()];
  }
  groups() {
    return [{ params: this.params(), weightDecay: this.opts.weightDecay }];
  }
  hidden(): tf.Tensor {
    return tf.elu(this.conv1.forward(this.x, this.g, false, new Rng(0)));
  }
  forward(fb: Feedback, training: boolean, rng: Rng): tf.Tensor {
    const x = dropout(this.x, this.opts.dropout, training, rng);
    let h = tf.elu(this.conv1.forward(x, this.g, training, rng));
    h = fb.point(h, 'conv1');
    h = dropout(h, this.opts.dropout, training, rng);
    return fb.output(this.conv2.forward(h, this.g, training, rng));
  }
}
