/**
 * The playground's Cora task: a GCN per method (same initial weights) on the Planetoid graph's
 * public split, full batch (one step = one epoch), stepped together like the toy session.
 * Browser-safe: the data come parsed from bytes (src/data/planetoid/parse), in the page's worker.
 *
 * The network: GCNConv(F → width) → act → dropout → [point h1] → … → GCNConv(width → classes)
 * → [output]; depth = hidden layers, so depth 1, width 16, relu is the paper's two-layer GCN. As
 * the graph suite (models/graph/settings.ts, appendix C): features row-normalised, L2 weight
 * decay on the first layer only; BP with dropout 0.5 and weight decay 5e-4, the others
 * (DFA, shallow, and FA here) with DFA's dropout 0.1 and weight decay 1e-4. FA treats every
 * conv's weight after the first (`fb.dense`; the first takes the sparse input, whose gradient no
 * one needs). Alignment is measured as the paper's alignment.py: loss over every node, eval mode.
 */
import * as tf from '@tensorflow/tfjs';
import type { GraphData } from '../suites/graphs/data/parse';
import { rowNormalize } from '../suites/graphs/data/parse';
import { Rng } from '../engine/rng';
import { Feedback } from '../feedback/feedback';
import type { AlignmentStat } from '../feedback/alignment';
import type { Method } from '../feedback/methods';
import { accuracy, argmaxRows, maskToIndex, nllLoss } from '../suites/graphs/train/node_task';
import { activation } from '../nn/activations';
import { GCNConv } from '../suites/graphs/nn/gcn_conv';
import { Graph } from '../suites/graphs/nn/graph';
import { dropout, sparse, type SparseFeatures } from '../suites/graphs/nn/input';
import { propagate } from '../suites/graphs/nn/ops';
import { makeOptimizer, type Optimizer } from '../optim';
import { pca2 } from './pca';
import type { Embedding, EvalPoint } from './session';
import type { PlaygroundSettings } from './settings';

/** The paper's per-method GCN regularisation (models/graph/settings.ts; FA takes DFA's). */
export function coraRegularisation(method: Method): { dropout: number; weightDecay: number } {
  return method === 'bp' ? { dropout: 0.5, weightDecay: 5e-4 } : { dropout: 0.1, weightDecay: 1e-4 };
}

interface CoraTask {
  x: SparseFeatures;
  graph: Graph;
  y: Int32Array;
  classes: number;
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
  all: Int32Array;
}

class GCN {
  readonly convs: GCNConv[];
  constructor(readonly task: CoraTask, readonly s: PlaygroundSettings, rng: Rng, readonly drop: number) {
    const dims = [task.x.csr.numCols, ...new Array<number>(s.depth).fill(s.width), task.classes];
    this.convs = dims.slice(1).map((d, i) => new GCNConv(rng, dims[i]!, d, `conv${i + 1}`));
  }

  params(): tf.Variable[] {
    return this.convs.flatMap((c) => c.params());
  }

  /** conv i on h: the first reads the sparse features; the later ones go through fb.dense (FA). */
  private conv(i: number, h: tf.Tensor | SparseFeatures, fb: Feedback | null): tf.Tensor {
    const c = this.convs[i]!;
    if (i === 0 || !fb) return c.forward(h, this.task.graph);
    const { graph, weight } = this.task.graph.gcnNorm();
    return tf.add(propagate(fb.dense(h as tf.Tensor, c.weight, undefined, `conv${i + 1}`), graph, weight), c.bias);
  }

  /** Logits [N, C]; `upTo` = k returns hidden layer k (after its activation) instead. */
  forward(fb: Feedback | null, training: boolean, rng: Rng, upTo?: number): tf.Tensor {
    const act = activation(this.s.activation);
    let h: tf.Tensor | SparseFeatures = this.task.x;
    for (let i = 0; i < this.s.depth; i++) {
      let z = act(this.conv(i, h, fb));
      if (upTo === i + 1) return z;
      z = dropout(z, this.drop, training, rng);
      h = fb ? fb.point(z, `h${i + 1}`) : z;
    }
    const out = this.conv(this.s.depth, h, fb);
    return fb ? fb.output(out) : out;
  }

  dispose(): void {
    tf.dispose(this.params());
  }
}

export class CoraMethodRun {
  readonly model: GCN;
  readonly fb: Feedback;
  readonly opt: Optimizer;
  private readonly dropRng: Rng;
  step = 0;
  lastLoss = NaN;

  constructor(readonly method: Method, s: PlaygroundSettings, private readonly task: CoraTask) {
    const reg = coraRegularisation(method);
    // Same stream for every method: the same initial weights.
    this.model = new GCN(task, s, new Rng(s.seed).fork('cora-init'), reg.dropout);
    this.fb = new Feedback({ method, seed: s.seed });
    const [first, ...rest] = this.model.convs;
    // L2 weight decay added to the gradient (PyTorch's Adam weight_decay), first layer only.
    this.opt = makeOptimizer({ name: s.optimizer, lr: s.lr }, [
      { vars: first!.params(), weightDecay: reg.weightDecay }, { vars: rest.flatMap((c) => c.params()), weightDecay: 0 },
    ]);
    this.dropRng = new Rng(s.seed).fork('cora-dropout');
  }

  /** One full-batch epoch; returns the training loss (before the update). */
  trainStep(): number {
    const t = this.task;
    const { value, grads } = this.fb.grads(() => nllLoss(this.model.forward(this.fb, true, this.dropRng), t.y, t.train, t.classes), this.model.params());
    const loss = value.dataSync()[0]!;
    value.dispose();
    if (!Number.isFinite(loss)) {
      tf.dispose([...grads.values()]);
      throw new Error(`${this.method}: the loss became ${loss} at epoch ${this.step + 1}; lower the learning rate`);
    }
    this.opt.apply(grads);
    this.step++;
    this.lastLoss = loss;
    return loss;
  }

  /** Train loss and accuracy, test loss and accuracy, and validation accuracy (eval mode). */
  evaluate(): EvalPoint {
    const t = this.task;
    const out = tf.tidy(() => this.model.forward(null, false, this.dropRng));
    const [l1, l2] = tf.tidy(() => [nllLoss(out, t.y, t.train, t.classes), nllLoss(out, t.y, t.test, t.classes)]);
    const pred = argmaxRows(out);
    const r: EvalPoint = {
      step: this.step, loss: l1!.dataSync()[0]!, metric: accuracy(pred, t.y, t.train),
      testLoss: l2!.dataSync()[0]!, testMetric: accuracy(pred, t.y, t.test), valMetric: accuracy(pred, t.y, t.val),
    };
    tf.dispose([out, l1!, l2!]);
    return r;
  }

  async alignment(): Promise<AlignmentStat[]> {
    if (this.method === 'bp' || this.method === 'shallow') return [];
    const t = this.task;
    return this.fb.alignment(() => nllLoss(this.model.forward(this.fb, false, this.dropRng), t.y, t.all, t.classes), this.model.params());
  }

  /** PCA of hidden layer `layer` (1-based; default the last) over every node. */
  embedding(layer = this.model.s.depth): Embedding {
    const h = tf.tidy(() => this.model.forward(null, false, this.dropRng, layer));
    const [n, d] = h.shape as [number, number];
    const X = h.dataSync();
    h.dispose();
    const p = pca2(X, n, d);
    // Scaled by the 99th percentile of |coordinate| (clamped): a few outlying nodes would otherwise squeeze the rest.
    const abs = Float64Array.from(p.coords, Math.abs).sort();
    const scale = Math.max(abs[Math.floor(0.99 * (abs.length - 1))]!, 1e-12);
    return { layer: `h${layer}`, coords: Float32Array.from(p.coords, (v) => Math.max(-1, Math.min(1, v / scale))), explained: p.explained };
  }

  dispose(): void {
    this.model.dispose();
    this.fb.dispose();
    this.opt.dispose();
  }
}

export class CoraSession {
  readonly runs: CoraMethodRun[];
  readonly task: CoraTask;

  constructor(readonly settings: PlaygroundSettings, readonly data: GraphData) {
    if (!settings.methods.length) throw new Error('playground: choose at least one method');
    this.task = {
      x: sparse(rowNormalize(data.x)),
      graph: new Graph(data.numNodes, data.src, data.dst),
      y: data.y,
      classes: data.numClasses,
      train: maskToIndex(data.trainMask),
      val: maskToIndex(data.valMask),
      test: maskToIndex(data.testMask),
      all: Int32Array.from({ length: data.numNodes }, (_, i) => i),
    };
    this.runs = settings.methods.map((m) => new CoraMethodRun(m, settings, this.task));
  }

  get step(): number {
    return this.runs[0]!.step;
  }

  stepAll(): number[] {
    return this.runs.map((r) => r.trainStep());
  }

  /** A one-line description of the data and the split, for the page. */
  describe(): string {
    const d = this.data, t = this.task;
    return `${d.name}: ${d.numNodes} nodes, ${d.src.length / 2} edges, ${d.numFeatures} features, ${d.numClasses} classes; ` +
      `public split ${t.train.length} train / ${t.val.length} val / ${t.test.length} test`;
  }

  dispose(): void {
    for (const r of this.runs) r.dispose();
  }
}
