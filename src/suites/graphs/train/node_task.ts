/**
 * Full-batch semi-supervised node classification as a TrainTask of the core Trainer: one batch
 * per epoch (the whole graph), the mean NLL of the training nodes through the Feedback, and
 * accuracy on the validation and test nodes (the Trainer's `best` is the test accuracy at the
 * epoch of strictly best validation accuracy, as the paper's geometric.py). Alignment as the
 * paper's alignment.py: the loss over every node, evaluation forward. Under drtp the forward
 * passes the target (`fb.target`), built from the training nodes' labels only.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import { gatherRows } from '../../../engine/ops/gather_rows';
import type { Feedback, Method, SignalOptions } from '../../../feedback';
import { accuracyAt, predictClasses } from '../../../metrics/classification';
import type { ParamGroup } from '../../../optim';
import type { EvalResult, Metric, StepContext, TrainTask } from '../../../train/task';
import type { NodeData } from '../data/node_data';
import type { NodeClassifier } from '../models/node';

/** Mean negative log-likelihood over the rows `idx`, from logits (or from log-probabilities). */
export function nllLoss(out: tf.Tensor, y: Int32Array, idx: Int32Array, numClasses: number, isLogProb = false): tf.Scalar {
  return tf.tidy(() => {
    const lp = isLogProb ? out : tf.logSoftmax(out as tf.Tensor2D);
    const rows = gatherRows(lp, idx);
    const oh = new Float32Array(idx.length * numClasses);
    for (let i = 0; i < idx.length; i++) oh[i * numClasses + y[idx[i]!]!] = -1 / idx.length;
    return tf.sum(tf.mul(rows, tf.tensor2d(oh, [idx.length, numClasses]))) as tf.Scalar;
  });
}

export interface NodeTaskOptions {
  name?: string;
  /** the run's Feedback, with the run's signal options merged in (default: the Trainer's, new Feedback({ method, rng, ...signal })) */
  feedback?: (method: Method, rng: Rng, signal: SignalOptions) => Feedback;
  /** settings that define the run (recorded in checkpoints) */
  describe?: Record<string, unknown>;
}

export type NodeSplit = 'train' | 'val' | 'test';

export class NodeTask implements TrainTask<null> {
  readonly name: string;
  readonly metric: Metric = { name: 'accuracy', higherIsBetter: true };
  readonly createFeedback?: (method: Method, rng: Rng, signal: SignalOptions) => Feedback;
  private readonly all: Int32Array;
  /** the evaluation forward of the current weights (every split reads it; a training step drops it) */
  private evaluated: { out: tf.Tensor; pred: Int32Array } | null = null;
  /** drtp's target [N, C], made at its first use */
  private target: tf.Tensor2D | null = null;

  constructor(readonly model: NodeClassifier, readonly data: NodeData, private readonly opts: NodeTaskOptions = {}) {
    this.name = opts.name ?? 'node-classification';
    if (opts.feedback) this.createFeedback = opts.feedback;
    this.all = Int32Array.from({ length: data.y.length }, (_, i) => i);
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.model.namedVariables();
  }

  paramGroups(): ParamGroup[] {
    return this.model.groups();
  }

  *batches(): Iterable<null> {
    yield null;
  }

  loss(_batch: null, fb: Feedback, ctx: StepContext): tf.Scalar {
    this.forget();
    const d = this.data;
    if (fb.method === 'drtp') fb.target(this.drtpTarget());
    return nllLoss(this.model.forward(fb, ctx.rng), d.y, d.train, d.numClasses, this.model.logSoftmaxOutput);
  }

  evaluate(split: 'val' | 'test'): EvalResult {
    return this.evaluateSplit(split);
  }

  /** Loss and accuracy on a split (the training nodes too), from one evaluation forward per weights. */
  evaluateSplit(split: NodeSplit): EvalResult {
    const d = this.data;
    const { out, pred } = this.evaluation();
    const l = nllLoss(out, d.y, d[split], d.numClasses, this.model.logSoftmaxOutput);
    const loss = l.dataSync()[0]!;
    l.dispose();
    return { metric: accuracyAt(pred, d.y, d[split]), loss };
  }

  alignmentLoss(fb: Feedback): tf.Scalar {
    const d = this.data;
    if (fb.method === 'drtp') fb.target(this.drtpTarget());
    return nllLoss(this.model.forward(fb, null), d.y, this.all, d.numClasses, this.model.logSoftmaxOutput);
  }

  describe(): Record<string, unknown> {
    return this.opts.describe ?? {};
  }

  /** Drops the cached evaluation (the weights are about to change). */
  forget(): void {
    this.evaluated?.out.dispose();
    this.evaluated = null;
  }

  /** Disposes the cached evaluation, the target and the model's variables. */
  dispose(): void {
    this.forget();
    this.target?.dispose();
    this.target = null;
    tf.dispose(this.model.params());
  }

  /**
   * drtp's target, shaped like the output [N, C]: the one-hot label of each training node, and a
   * row of zeros for every other node, whose label training may not see (semi-supervised: only the
   * training nodes are labelled). The Feedback projects −target/N (a mean over all N rows); the
   * loss is a mean over the n training nodes, so the rows are scaled by N/n to make the projected
   * rows −onehot/n: the size of DFA's error rows, as Frenkel et al.'s update is a mean over the
   * batch (here: the training nodes). The scale matters beside the weight decay, not to Adam.
   */
  drtpTarget(): tf.Tensor2D {
    if (!this.target) {
      const d = this.data, N = d.y.length, C = d.numClasses;
      const t = new Float32Array(N * C);
      for (const i of d.train) t[i * C + d.y[i]!] = N / d.train.length;
      this.target = tf.keep(tf.tensor2d(t, [N, C])); // kept: made inside a training pass's scope, it serves every pass
    }
    return this.target;
  }

  private evaluation(): { out: tf.Tensor; pred: Int32Array } {
    if (!this.evaluated) {
      const out = tf.tidy(() => this.model.forward(null, null));
      this.evaluated = { out, pred: predictClasses(out) };
    }
    return this.evaluated;
  }
}
