/**
 * The node classifiers of the paper's section 3.2, as its code builds them (PyTorch Geometric,
 * paper-experiments/geometric-learning/models.py): ChebNet and GCN (GraphConv), SplineNet and
 * GAT, each with a BP variant and a DFA variant (which shallow training also uses, appendix B);
 * DNANet is in dna.ts. The DFA variants put a feedback point after the hidden non-linearity; the
 * architecture-internal dropout differs per method (appendix C, paper.ts). Every forward marks
 * `fb.output(logits)`, where DFA's error is taken (before log-softmax). A forward with an `rng`
 * trains (dropout masks from it); with null it evaluates.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { Feedback } from '../../../feedback';
import { activation, type ActivationName } from '../../../nn/activations';
import type { ParamGroup } from '../../../optim';
import { ChebConv } from '../nn/cheb_conv';
import { GATConv } from '../nn/gat_conv';
import { GCNConv } from '../nn/gcn_conv';
import type { Graph } from '../nn/graph';
import { dropoutNodes, numFeatures, type NodeInput } from '../nn/input';
import { SplineConv } from '../nn/spline_conv';

export interface NodeClassifier {
  /** trainable variables under stable names (checkpoint keys) */
  namedVariables(): Record<string, tf.Variable>;
  /** the variables with the weight decay each gets (the paper's per-layer L2) */
  groups(): ParamGroup[];
  params(): tf.Variable[];
  /** logits [N, C] (log-probabilities where `logSoftmaxOutput`), marked with fb.output; rng: training, null: evaluation */
  forward(fb: Feedback | null, rng: Rng | null): tf.Tensor;
  /** hidden representation `layer` (after its non-linearity, from 1), evaluation mode: t-SNE, PCA */
  hidden?(layer?: number): tf.Tensor;
  /** the model's output is already log-softmax (DNA): the loss is plain NLL on it */
  readonly logSoftmaxOutput?: boolean;
}

/** Names per part and position ('conv1.0', 'conv1.1', ...). */
export function namedParams(parts: Record<string, tf.Variable[]>): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = {};
  for (const [k, vs] of Object.entries(parts)) vs.forEach((v, i) => (out[`${k}.${i}`] = v));
  return out;
}

const point = (fb: Feedback | null, h: tf.Tensor, name: string) => (fb ? fb.point(h, name) : h);
const output = (fb: Feedback | null, out: tf.Tensor) => (fb ? fb.output(out) : out);

export interface GCNOptions {
  /** ChebConv (K = 2) instead of GCNConv */
  cheb?: boolean;
  /** hidden widths, one conv each (default [16]: the paper's two-layer net) */
  hidden?: number[];
  /** the hidden non-linearity (default relu) */
  activation?: ActivationName;
  dropout: number;
  /** L2 weight decay, first layer only (the paper's GCN / Cheb code) */
  weightDecay: number;
}

/**
 * GCN / ChebNet: per hidden layer act(conv) → dropout → [point h_i], then conv → [output];
 * weight decay on the first conv only. The later convs' products go through the Feedback (the
 * layer-wise methods); the first takes the sparse features, whose gradient no one needs.
 */
export class GCNNet implements NodeClassifier {
  readonly convs: (GCNConv | ChebConv)[];
  private readonly act: (x: tf.Tensor) => tf.Tensor;
  private readonly depth: number;
  constructor(private readonly x: NodeInput, private readonly g: Graph, numClasses: number, rng: Rng, readonly opts: GCNOptions) {
    const hidden = opts.hidden ?? [16];
    const dims = [numFeatures(x), ...hidden, numClasses];
    this.depth = hidden.length;
    this.act = activation(opts.activation ?? 'relu');
    this.convs = dims.slice(1).map((d, i) => (opts.cheb ? new ChebConv(rng, dims[i]!, d, 2, `conv${i + 1}`) : new GCNConv(rng, dims[i]!, d, `conv${i + 1}`)));
  }
  params(): tf.Variable[] {
    return this.convs.flatMap((c) => c.params());
  }
  namedVariables() {
    return namedParams(Object.fromEntries(this.convs.map((c, i) => [`conv${i + 1}`, c.params()])));
  }
  groups(): ParamGroup[] {
    const [first, ...rest] = this.convs;
    return [{ vars: first!.params(), weightDecay: this.opts.weightDecay }, { vars: rest.flatMap((c) => c.params()), weightDecay: 0 }];
  }
  private conv(i: number, h: NodeInput, fb: Feedback | null): tf.Tensor {
    return this.convs[i]!.forward(h, this.g, fb);
  }
  hidden(layer = this.depth): tf.Tensor {
    if (!(layer >= 1 && layer <= this.depth)) throw new Error(`GCNNet: hidden layer ${layer} of ${this.depth}`);
    return tf.tidy(() => {
      let h: NodeInput = this.x;
      for (let i = 0; i < layer; i++) h = this.act(this.conv(i, h, null));
      return h as tf.Tensor;
    });
  }
  forward(fb: Feedback | null, rng: Rng | null): tf.Tensor {
    let h: NodeInput = this.x;
    for (let i = 0; i < this.depth; i++) {
      const z = dropoutNodes(this.act(this.conv(i, h, fb)), this.opts.dropout, rng);
      h = point(fb, z, `h${i + 1}`);
    }
    return output(fb, this.conv(this.depth, h, fb));
  }
}

/** Two convolutions whose every parameter takes one weight decay (SplineNet, GATNet). */
abstract class TwoConvNet {
  abstract readonly conv1: { params(): tf.Variable[] };
  abstract readonly conv2: { params(): tf.Variable[] };
  abstract readonly opts: { weightDecay: number };
  params(): tf.Variable[] {
    return [...this.conv1.params(), ...this.conv2.params()];
  }
  namedVariables() {
    return namedParams({ conv1: this.conv1.params(), conv2: this.conv2.params() });
  }
  groups(): ParamGroup[] {
    return [{ vars: this.params(), weightDecay: this.opts.weightDecay }];
  }
}

/**
 * SplineNet: dropout 0.5 on x → elu(conv1) → [point] → dropout 0.5 → conv2, weight decay 5e-3 on
 * everything, pseudo-coordinates from TargetIndegree; the same settings for BP and DFA.
 */
export class SplineNet extends TwoConvNet implements NodeClassifier {
  readonly conv1: SplineConv;
  readonly conv2: SplineConv;
  constructor(private readonly x: NodeInput, private readonly g: Graph, numClasses: number, rng: Rng, readonly opts: { hidden?: number; dropout: number; weightDecay: number }) {
    super();
    const h = opts.hidden ?? 16;
    this.conv1 = new SplineConv(rng, numFeatures(x), h, 2, 'conv1');
    this.conv2 = new SplineConv(rng, h, numClasses, 2, 'conv2');
  }
  hidden(): tf.Tensor {
    return tf.elu(this.conv1.forward(this.x, this.g));
  }
  forward(fb: Feedback | null, rng: Rng | null): tf.Tensor {
    const x = dropoutNodes(this.x, this.opts.dropout, rng);
    let h = tf.elu(this.conv1.forward(x, this.g, fb));
    h = point(fb, h, 'h1');
    h = dropoutNodes(h, this.opts.dropout, rng);
    return output(fb, this.conv2.forward(h, this.g, fb));
  }
}

/**
 * GAT: dropout on x → elu(GAT 8 heads × 8, attention dropout 0.6) → [point] → dropout →
 * GAT(64 → classes, 1 head). BP: dropouts 0.6 / 0.6, conv2 attention dropout 0.6, wd 5e-4.
 * DFA: dropouts 0.1 / 0.1, conv2 attention dropout 0, wd 1e-4 (appendix C). lr 0.005.
 */
export class GATNet extends TwoConvNet implements NodeClassifier {
  readonly conv1: GATConv;
  readonly conv2: GATConv;
  constructor(private readonly x: NodeInput, private readonly g: Graph, numClasses: number, rng: Rng, readonly opts: { dropout: number; att2Dropout: number; weightDecay: number }) {
    super();
    this.conv1 = new GATConv(rng, numFeatures(x), 8, 8, true, 0.6, 0.2, 'conv1');
    this.conv2 = new GATConv(rng, 64, numClasses, 1, true, opts.att2Dropout, 0.2, 'conv2');
  }
  hidden(): tf.Tensor {
    return tf.elu(this.conv1.forward(this.x, this.g, null));
  }
  forward(fb: Feedback | null, rng: Rng | null): tf.Tensor {
    const x = dropoutNodes(this.x, this.opts.dropout, rng);
    let h = tf.elu(this.conv1.forward(x, this.g, rng, fb));
    h = point(fb, h, 'h1');
    h = dropoutNodes(h, this.opts.dropout, rng);
    return output(fb, this.conv2.forward(h, this.g, rng, fb));
  }
}
