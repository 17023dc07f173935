/**
 * A multi-layer perceptron of any depth, width and activation, written once for every method and
 * every suite: blocks Linear → (BatchNorm) → activation → (dropout) → feedback point, then an
 * optional output layer where DFA's error is taken (`fb.output`). Without an output layer it is a
 * trunk whose last block feeds the caller's own head (the recommenders' MLP).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import type { Feedback } from '../feedback';
import { activation, type ActivationName } from './activations';
import { BatchNorm1d } from './batch_norm';
import { dropout } from './dropout';
import type { InitKind } from './init';
import { Linear } from './linear';

export interface MLPConfig {
  inputDim: number;
  hidden: number[];
  /** the output layer's width; omit for a trunk of hidden blocks only */
  outputDim?: number;
  activation?: ActivationName;
  /** dropout rate after each hidden activation (training only) */
  dropout?: number;
  /** BatchNorm1d between each hidden Linear and its activation (torch's BatchNorm1d) */
  batchNorm?: boolean;
  init?: InitKind;
  /** weights come from `rng` when given, else from new Rng(seed).fork('mlp') */
  seed?: number;
  rng?: Rng;
  /** prefix of layer names (`${name}fc1`, `${name}out`) and feedback points (`${name}h1`) */
  name?: string;
}

export interface ForwardOptions {
  /** apply dropout and batch statistics (dropout needs `rng`) */
  training?: boolean;
  rng?: Rng | null;
}

export class MLP {
  readonly config: Required<Omit<MLPConfig, 'rng' | 'outputDim'>> & { outputDim?: number };
  readonly hidden: Linear[];
  readonly norms: BatchNorm1d[];
  readonly out: Linear | null;
  /** dropout rate (a setting that can change between runs, e.g. a grid search) */
  dropoutRate: number;
  private readonly act: (x: tf.Tensor) => tf.Tensor;

  constructor(cfg: MLPConfig) {
    const { rng: given, ...rest } = cfg;
    this.config = { activation: 'tanh', dropout: 0, batchNorm: false, init: 'glorot', seed: 0, name: '', ...rest };
    const c = this.config;
    if (!Array.isArray(c.hidden)) throw new Error('MLP: hidden must be an array of layer widths');
    if (!(c.dropout >= 0 && c.dropout < 1)) throw new Error(`MLP: dropout must be in [0, 1), got ${c.dropout}`);
    this.dropoutRate = c.dropout;
    this.act = activation(c.activation);
    const rng = given ?? new Rng(c.seed).fork('mlp');
    const dims = [c.inputDim, ...c.hidden];
    this.hidden = c.hidden.map((w, i) => new Linear({ inDim: dims[i]!, outDim: w, rng: rng.fork(`fc${i + 1}`), init: c.init, name: `${c.name}fc${i + 1}` }));
    this.norms = c.batchNorm ? c.hidden.map((w, i) => new BatchNorm1d(`${c.name}bn${i + 1}`, w)) : [];
    this.out = c.outputDim ? new Linear({ inDim: dims[dims.length - 1]!, outDim: c.outputDim, rng: rng.fork('out'), init: c.init, name: `${c.name}out` }) : null;
  }

  /** Logits [N, outputDim] (or the last block [N, hidden.at(-1)] without an output layer) for x [N, inputDim]. */
  forward(x: tf.Tensor, fb?: Feedback | null, opts: ForwardOptions = {}): tf.Tensor {
    if (x.shape[x.rank - 1] !== this.config.inputDim) {
      throw new Error(`MLP: input has shape [${x.shape}], expected last dim ${this.config.inputDim}`);
    }
    const training = opts.training ?? false;
    const drop = training && this.dropoutRate > 0;
    if (drop && !opts.rng) throw new Error('MLP: training with dropout needs an rng');
    let h = x;
    this.hidden.forEach((l, i) => {
      let a = l.apply(h, fb);
      if (this.norms.length) a = this.norms[i]!.apply(a as tf.Tensor2D, training);
      h = this.act(a);
      if (drop) h = dropout(h, this.dropoutRate, opts.rng);
      if (fb) h = fb.point(h, `${this.config.name}h${i + 1}`);
    });
    if (!this.out) return h;
    const out = this.out.apply(h, fb);
    return fb ? fb.output(out) : out;
  }

  get layers(): Linear[] {
    return this.out ? [...this.hidden, this.out] : [...this.hidden];
  }

  /** Trainable variables (weights, biases, BatchNorm's scale and shift). */
  get variables(): tf.Variable[] {
    return [...this.layers.flatMap((l) => l.variables), ...this.norms.flatMap((n) => n.variables)];
  }

  /** BatchNorm running statistics: no gradient, but part of the trained model. */
  get stateVariables(): tf.Variable[] {
    return this.norms.flatMap((n) => n.stateVariables);
  }

  namedVariables(): Record<string, tf.Variable> {
    return Object.assign({}, ...this.layers.map((l) => l.namedVariables()), ...this.norms.map((n) => n.namedVariables()));
  }

  /** For DFA's matrix angles: per point h_i, the weights W_{i+1}, ..., W_out on its path to the output. */
  pathWeights(): Record<string, tf.Tensor[]> {
    const ws = this.layers.map((l) => l.W);
    return Object.fromEntries(this.hidden.map((_, i) => [`${this.config.name}h${i + 1}`, ws.slice(i + 1)]));
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
    for (const n of this.norms) n.dispose();
  }
}
