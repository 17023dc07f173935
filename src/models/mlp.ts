/**
 * A multi-layer perceptron of any depth, width and activation, written once for every method:
 * a feedback point after each hidden activation (and dropout), the output marked for DFA's error.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import type { Feedback } from '../feedback';
import { Dense } from '../nn/dense';
import { activation, type ActivationName } from '../nn/activations';
import { dropout } from '../nn/dropout';
import type { InitKind } from '../nn/init';

export interface MLPConfig {
  inputDim: number;
  hidden: number[];
  outputDim: number;
  activation?: ActivationName;
  /** dropout rate after each hidden activation (training only) */
  dropout?: number;
  init?: InitKind;
  seed?: number;
}

export interface ForwardOptions {
  /** apply dropout (needs `rng`) */
  training?: boolean;
  rng?: Rng;
}

export class MLP {
  readonly config: Required<MLPConfig>;
  readonly hidden: Dense[];
  readonly out: Dense;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(cfg: MLPConfig) {
    this.config = { activation: 'tanh', dropout: 0, init: 'glorot', seed: 0, ...cfg };
    const c = this.config;
    if (!Array.isArray(c.hidden)) throw new Error('MLP: hidden must be an array of layer widths');
    if (!(c.dropout >= 0 && c.dropout < 1)) throw new Error(`MLP: dropout must be in [0, 1), got ${c.dropout}`);
    this.act = activation(c.activation);
    const rng = new Rng(c.seed).fork('mlp');
    const dims = [c.inputDim, ...c.hidden];
    this.hidden = c.hidden.map((w, i) => new Dense({ inDim: dims[i]!, outDim: w, rng, init: c.init, name: `fc${i + 1}` }));
    this.out = new Dense({ inDim: dims[dims.length - 1]!, outDim: c.outputDim, rng, init: c.init, name: 'out' });
  }

  /** Logits [N, outputDim] for x [N, inputDim]. */
  forward(x: tf.Tensor, fb?: Feedback, opts: ForwardOptions = {}): tf.Tensor {
    if (x.shape[x.rank - 1] !== this.config.inputDim) {
      throw new Error(`MLP: input has shape [${x.shape}], expected last dim ${this.config.inputDim}`);
    }
    const drop = opts.training && this.config.dropout > 0;
    if (drop && !opts.rng) throw new Error('MLP: training with dropout needs an rng');
    let h = x;
    this.hidden.forEach((l, i) => {
      h = this.act(l.apply(h, fb));
      if (drop) h = dropout(h, this.config.dropout, opts.rng!);
      if (fb) h = fb.point(h, `h${i + 1}`);
    });
    const out = this.out.apply(h, fb);
    return fb ? fb.output(out) : out;
  }

  get layers(): Dense[] {
    return [...this.hidden, this.out];
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => Object.values(l.namedVariables()));
  }

  namedVariables(): Record<string, tf.Variable> {
    return Object.assign({}, ...this.layers.map((l) => l.namedVariables()));
  }

  /** For DFA's matrix angles: per point h_i, the weights W_{i+1}, ..., W_out on its path to the output. */
  pathWeights(): Record<string, tf.Tensor[]> {
    const ws = this.layers.map((l) => l.W);
    return Object.fromEntries(this.hidden.map((_, i) => [`h${i + 1}`, ws.slice(i + 1)]));
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
  }
}
