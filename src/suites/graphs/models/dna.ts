/**
 * DNANet (the paper's models.py, after PyG's dna.py example): lin1 → ReLU → 5 × DNAConv over
 * the growing layer history (ReLU after each) → last representation → lin2 → log-softmax.
 * BP: dropout 0.5 after lin1 and before lin2, attention dropout 0.8. DFA (appendix C): no
 * dropout, a feedback point after lin1's ReLU and after every DNAConv's ReLU, the history fed to
 * each DNAConv detached, the error taken after the log-softmax. lin1 and lin2 are the core
 * Linear with PyTorch's init (W and b ~ U(±1/sqrt(in)), the same draws as before); lin1 takes
 * the sparse features (x·W by the CSR product, then + b).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { Feedback } from '../../../feedback';
import { detach } from '../../../feedback/tape';
import { Linear } from '../../../nn/linear';
import type { ParamGroup } from '../../../optim';
import { DNAConv } from '../nn/dna_conv';
import type { Graph } from '../nn/graph';
import { dropoutNodes, numFeatures, project, type NodeInput } from '../nn/input';
import { namedParams, type NodeClassifier } from './node';

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

export class DNANet implements NodeClassifier {
  readonly lin1: Linear;
  readonly convs: DNAConv[];
  readonly lin2: Linear;
  readonly logSoftmaxOutput = true;
  constructor(private readonly x: NodeInput, private readonly g: Graph, numClasses: number, rng: Rng, readonly opts: DNAOptions) {
    this.lin1 = new Linear({ inDim: numFeatures(x), outDim: opts.hidden, rng, init: 'torch', name: 'lin1' });
    this.convs = Array.from({ length: opts.layers }, () => new DNAConv(rng, opts.hidden, opts.heads, opts.groups, opts.attDropout));
    this.lin2 = new Linear({ inDim: opts.hidden, outDim: numClasses, rng, init: 'torch', name: 'lin2' });
  }
  params(): tf.Variable[] {
    return [...this.lin1.variables, ...this.convs.flatMap((c) => c.params()), ...this.lin2.variables];
  }
  namedVariables() {
    return namedParams({ lin1: this.lin1.variables, ...Object.fromEntries(this.convs.map((c, i) => [`conv${i + 1}`, c.params()])), lin2: this.lin2.variables });
  }
  groups(): ParamGroup[] {
    return [{ vars: this.params(), weightDecay: this.opts.weightDecay }];
  }
  forward(fb: Feedback | null, rng: Rng | null): tf.Tensor {
    let x = tf.relu(tf.add(project(this.x, this.lin1.W), this.lin1.b!));
    x = dropoutNodes(x, this.opts.dropout, rng);
    const hist: tf.Tensor[] = [fb ? fb.point(x, 'lin1') : x];
    this.convs.forEach((conv, i) => {
      const r = tf.relu(conv.forward(hist, this.g, rng));
      const h = fb ? fb.point(r, `conv${i + 1}`) : r;
      // the paper's DFA code feeds later layers a detached history (cat([x_all.detach(), x]))
      if (this.opts.detachHistory) for (let k = 0; k < hist.length; k++) hist[k] = detach(hist[k]!);
      hist.push(h);
    });
    const last = dropoutNodes(hist[hist.length - 1]!, this.opts.dropout, rng);
    const out = tf.logSoftmax(this.lin2.apply(last, fb) as tf.Tensor2D);
    return fb ? fb.output(out) : out;
  }
}
