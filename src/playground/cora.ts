/**
 * The playground's Cora task: a GCN per method (same initial weights) on the Planetoid graph's
 * public split, full batch (one step = one epoch), stepped together like the toy session.
 * Browser-safe: the data come parsed from bytes (suites/graphs/data/parse), in the page's worker.
 *
 * Built from the graph wing: its GCNNet (GCNConv(F → width) → act → dropout → [point h1] → … →
 * GCNConv(width → classes) → [output]; depth = hidden layers, so depth 1, width 16, relu is the
 * paper's two-layer GCN), its NodeTask trained by the core Trainer one `stepNext()` at a time,
 * and its paper settings per method (suites/graphs/paper.ts, appendix C): features
 * row-normalised, L2 weight decay on the first layer only; BP with dropout 0.5 and weight decay
 * 5e-4, the others (DFA, shallow, and FA here) with DFA's dropout 0.1 and weight decay 1e-4. FA
 * treats every conv's weight after the first (the first takes the sparse input, whose gradient
 * no one needs). Alignment as the paper's alignment.py: loss over every node, evaluation mode.
 */
import type { GraphData } from '../suites/graphs/data/parse';
import { nodeData, type NodeData } from '../suites/graphs/data/node_data';
import { GCNNet } from '../suites/graphs/models/node';
import { archSetting } from '../suites/graphs/paper';
import { NodeTask } from '../suites/graphs/train/node_task';
import { Rng } from '../engine/rng';
import { Feedback } from '../feedback/feedback';
import type { AlignmentStat } from '../feedback/alignment';
import type { Method } from '../feedback/methods';
import { Trainer, TrainingDivergedError } from '../train/trainer';
import { pca2 } from './pca';
import type { Embedding, EvalPoint } from './session';
import { signalOf, type PlaygroundSettings } from './settings';

export class CoraMethodRun {
  readonly model: GCNNet;
  readonly task: NodeTask;
  readonly trainer: Trainer<null>;

  constructor(readonly method: Method, readonly settings: PlaygroundSettings, data: NodeData) {
    const paper = archSetting('gcn', method);
    // Same stream for every method: the same initial weights.
    this.model = new GCNNet(data.x, data.graph, data.numClasses, new Rng(settings.seed).fork('cora-init'), {
      hidden: new Array<number>(settings.depth).fill(settings.width), activation: settings.activation, dropout: paper.dropout, weightDecay: paper.weightDecay,
    });
    this.task = new NodeTask(this.model, data, { name: 'cora', feedback: (m, _rng, signal) => new Feedback({ method: m, seed: settings.seed, ...signal }) });
    const feedback = signalOf(settings, method);
    this.trainer = new Trainer(this.task, {
      method, seed: settings.seed, epochs: settings.steps, optimizer: { name: settings.optimizer, lr: settings.lr },
      dropoutRng: new Rng(settings.seed).fork('cora-dropout'), ...(feedback ? { feedback } : {}),
    });
  }

  get step(): number {
    return this.trainer.step;
  }

  get lastLoss(): number {
    return this.trainer.lastLoss;
  }

  /** One full-batch epoch; returns the training loss (before the update). */
  trainStep(): number {
    try {
      return this.trainer.stepNext();
    } catch (e) {
      if (e instanceof TrainingDivergedError) throw new Error(`${this.method}: the loss became ${e.value} at epoch ${e.epoch}; lower the learning rate`);
      throw e;
    }
  }

  /** Train loss and accuracy, test loss and accuracy, and validation accuracy (eval mode). */
  evaluate(): EvalPoint {
    const tr = this.task.evaluateSplit('train'), te = this.task.evaluateSplit('test'), va = this.task.evaluateSplit('val');
    return { step: this.step, loss: tr.loss, metric: tr.metric, testLoss: te.loss, testMetric: te.metric, valMetric: va.metric };
  }

  async alignment(): Promise<AlignmentStat[]> {
    if (this.method === 'bp' || this.method === 'shallow') return [];
    const fb = this.trainer.fb;
    return fb.alignment(() => this.task.alignmentLoss(fb), this.model.params());
  }

  /** PCA of hidden layer `layer` (1-based; default the last) over every node. */
  embedding(layer = this.settings.depth): Embedding {
    const h = this.model.hidden(layer);
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
    this.trainer.dispose();
    this.task.dispose();
  }
}

export class CoraSession {
  readonly runs: CoraMethodRun[];
  readonly task: NodeData;

  constructor(readonly settings: PlaygroundSettings, readonly data: GraphData) {
    if (!settings.methods.length) throw new Error('playground: choose at least one method');
    // the paper's GCN data settings (row-normalised features, the public split)
    this.task = nodeData(data, archSetting('gcn', 'bp'), settings.seed);
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
