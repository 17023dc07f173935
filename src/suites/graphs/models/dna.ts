/**
 * DNANet (the paper's models.py, after PyG's dna.py example): lin1 → ReLU → 5 × DNAConv over
 * the growing layer history (ReLU after each) → last representation → lin2 → log-softmax.
 * BP: dropout 0.5 after lin1 and before lin2, attention dropout 0.8. DFA (appendix C): no
 * dropout, a feedback point after lin1's ReLU and after every DNAConv's ReLU, the history fed to
 * each DNAConv detached, the error taken after the log-softmax.
 */
import * as tf from '@tensorflow/tfjs';
import type { Feedback } from '../../../feedback';
import type { Rng } from '../../../engine/rng';
import { DNAConv } from '../nn/dna_conv';
import type { Graph } from '../nn/graph';
import { uniformFan } from '../nn/init';
import { dropout, linear, numFeatures, type NodeInput } from '../nn/input';
import type { NodeClassifier } from './node';
import { detach } from '../../../feedback/tape';

export interface DNAOptions {
  hidden: number;
  layers: number;
  heads: number;
  groups: number;
  dropout: number;
  attDropout: number;
  weightDecay: number;
  /** DFA: feed each DNAConv a detached history (no gradient flows back through earlier layers) */
  detachHistory: boolean;
}

/** torch.nn.Linear's default init: W and b ~ U(±1/sqrt(in)). */
class Linear {
  readonly W: tf.Variable;
  readonly b: tf.Variable;
  constructor(rng: Rng, inC: number, outC: number) {
    this.W = uniformFan(rng, [inC, outC], inC);
    this.b = uniformFan(rng, [outC], inC);
  }
  params(): tf.Variable[] {
    return [this.W, this.b];
  }
}

export class DNANet implements NodeClassifier {
  readonly lin1: Linear;
  readonly convs: DNAConv[];
  readonly lin2: Linear;
  readonly logSoftmaxOutput = true;
  constructor(private x: NodeInput, private g: Graph, numClasses: number, rng: Rng, readonly opts: DNAOptions) {
    this.lin1 = new Linear(rng, numFeatures(x), opts.hidden);
    this.convs = Array.from({ length: opts.layers }, () => new DNAConv(rng, opts.hidden, opts.heads, opts.groups, opts.attDropout));
    this.lin2 = new Linear(rng, opts.hidden, numClasses);
  }
  params(): tf.Variable[] {
    return [...this.lin1.params(), ...this.convs.flatMap((c) => c.params()), ...this.lin2.params()];
  }
  groups() {
    return [{ params: this.params(), weightDecay: this.opts.weightDecay }];
  }
  forward(fb: Feedback, training: boolean, rng: Rng): tf.Tensor {
    let x = tf.relu(tf.add(linear(this.x, this.lin1.W), this.lin1.b));
    x = dropout(x, this.opts.dropout, training, rng);
    const hist: tf.Tensor[] = [fb.point(x, 'lin1')];
    this.convs.forEach((conv, i) => {
      const h = fb.point(tf.relu(conv.forward(hist, this.g, training, rng)), `conv${i + 1}`);
      // the paper's DFA code feeds later layers a detached history (cat([x_all.detach(), x]))
      if (this.opts.detachHistory) for (let k = 0; k < hist.length; k++) hist[k] = detach(hist[k]!);
      hist.push(h);
    });
    const last = dropout(hist[hist.length - 1]!, this.opts.dropout, training, rng);
    const out = tf.add(tf.matMul(last as tf.Tensor2D, this.lin2.W as tf.Tensor2D), this.lin2.b);
    return fb.output(tf.logSoftmax(out as tf.Tensor2D));
  }
}
