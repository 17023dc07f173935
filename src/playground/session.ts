/**
 * The playground's training: one MLP per method (same data, same initial weights, same batch
 * order), stepped together so the methods can be watched side by side. Browser-safe (runs in the
 * page's Web Worker) and used by Node tests, so the same seed gives the same numbers in both.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { Feedback } from '../feedback/feedback';
import type { AlignmentStat } from '../feedback/alignment';
import type { Method } from '../feedback/methods';
import { accuracy } from '../metrics/classification';
import { meanSquaredError, softmaxCrossEntropy } from '../metrics/losses';
import { MLP } from '../nn/mlp';
import { Trainer } from '../train/trainer';
import type { Metric, TrainTask } from '../train/task';
import { activation } from '../nn/activations';

import { pca2 } from './pca';
import { DRTP_REGRESSION, isGraphTask, signalOf, type PlaygroundSettings } from './settings';
import { toyData, type ToyData } from './toy';

export interface EvalPoint {
  step: number;
  /** loss and metric on the whole training set, and on the test set (metric: accuracy or R²) */
  loss: number;
  metric: number;
  testLoss: number;
  testMetric: number;
  /** validation accuracy (Cora's public split) */
  valMetric?: number;
}

export interface AlignPoint {
  step: number;
  layers: { name: string; mean: number }[];
}

export interface Boundary {
  res: number;
  /** extent [xmin, xmax, ymin, ymax] */
  extent: [number, number, number, number];
  /** [res*res, classes] softmax probabilities, or [res*res] predictions for regression; row 0 = top (ymax) */
  values: Float32Array;
}

export interface Embedding {
  layer: string;
  /** [m, 2] PCA coordinates, scaled to [-1, 1] */
  coords: Float32Array;
  explained: number;
}

const ALIGN_N = 128;
export const EMBED_N = 300;

/** One method's network on the shared data, as a TrainTask (the one training loop steps it). */
class ToyTask implements TrainTask<Int32Array> {
  readonly name = 'playground';
  readonly metric: Metric;
  /** Same stream for every method: all see the same batches in the same order. */
  private readonly batchRng: Rng;

  constructor(readonly model: MLP, private readonly data: Split, private readonly batch: number, seed: number) {
    this.metric = data.classes ? { name: 'accuracy', higherIsBetter: true } : { name: 'R²', higherIsBetter: true };
    this.batchRng = new Rng(seed).fork('playground-batches');
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.model.namedVariables();
  }

  /** Whole minibatches of a fresh permutation (the last partial one is dropped). */
  *batches(): Iterable<Int32Array> {
    const n = this.data.train.n;
    const b = Math.min(this.batch, n);
    const p = this.batchRng.permutation(n);
    for (let i = 0; i + b <= n; i += b) yield p.subarray(i, i + b);
  }

  loss(idx: Int32Array, fb: Feedback): tf.Scalar {
    const t = tf.tensor1d(idx, 'int32');
    const x = tf.gather(this.data.train.x, t);
    const y = tf.gather(this.data.train.y, t);
    if (this.data.classes) fb.target(y); // drtp projects the target (a no-op for the other methods)
    return lossOf(this.data, this.model.forward(x, fb), y);
  }

  evaluate(split: 'val' | 'test'): { metric: number; loss: number } {
    const d = split === 'test' ? this.data.test : this.data.train;
    const out = tf.tidy(() => this.model.forward(d.x));
    const l = tf.tidy(() => lossOf(this.data, out, d.y));
    const loss = l.dataSync()[0]!;
    const metric = this.data.classes ? accuracy(out, d.y) : 1 - loss / d.variance;
    tf.dispose([out, l]);
    return { loss, metric };
  }

  dispose(): void {
    this.model.dispose();
  }
}

function lossOf(data: Split, out: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return data.classes ? softmaxCrossEntropy(out, y) : meanSquaredError(out, y);
}

class MethodRun {
  readonly model: MLP;
  readonly trainer: Trainer<Int32Array>;
  readonly vars: tf.Variable[];
  private readonly task: ToyTask;

  constructor(readonly method: Method, s: PlaygroundSettings, private readonly data: Split) {
    this.model = new MLP({
      inputDim: 2,
      hidden: new Array(s.depth).fill(s.width),
      outputDim: data.classes || 1,
      activation: s.activation,
      seed: s.seed,
    });
    this.vars = this.model.variables;
    this.task = new ToyTask(this.model, data, s.batch, s.seed);
    const feedback = signalOf(s, method);
    this.trainer = new Trainer(this.task, { method, seed: s.seed, epochs: 1, optimizer: { name: s.optimizer, lr: s.lr }, ...(feedback ? { feedback } : {}) });
  }

  get fb(): Feedback {
    return this.trainer.fb;
  }

  get step(): number {
    return this.trainer.step;
  }

  get lastLoss(): number {
    return this.trainer.lastLoss;
  }

  /** One optimizer step on the next minibatch; returns its loss (before the update). */
  trainStep(): number {
    return this.trainer.stepNext();
  }

  lossOf(out: tf.Tensor, y: tf.Tensor): tf.Scalar {
    return lossOf(this.data, out, y);
  }

  evaluate(): EvalPoint {
    const tr = this.task.evaluate('val');
    const te = this.task.evaluate('test');
    return { step: this.step, loss: tr.loss, metric: tr.metric, testLoss: te.loss, testMetric: te.metric };
  }

  /** Per hidden layer, mean cosine between this method's signal and BP's gradient (BP and shallow: none). */
  async alignment(): Promise<AlignmentStat[]> {
    if (this.method === 'bp' || this.method === 'shallow') return [];
    const d = this.data.train;
    const m = Math.min(ALIGN_N, d.n);
    const x = tf.slice(d.x, [0, 0], [m, 2]);
    const y = tf.slice(d.y, [0], [m]);
    try {
      return await this.fb.alignment(() => {
        if (this.data.classes) this.fb.target(y);
        return this.lossOf(this.model.forward(x, this.fb), y);
      }, this.vars);
    } finally {
      tf.dispose([x, y]);
    }
  }

  boundary(res: number, extent: [number, number, number, number]): Boundary {
    const [x0, x1, y0, y1] = extent;
    const g = new Float32Array(res * res * 2);
    for (let r = 0; r < res; r++) {
      for (let c = 0; c < res; c++) {
        const i = r * res + c;
        g[2 * i] = x0 + ((c + 0.5) / res) * (x1 - x0);
        g[2 * i + 1] = y1 - ((r + 0.5) / res) * (y1 - y0);
      }
    }
    const v = tf.tidy(() => {
      const out = this.model.forward(tf.tensor2d(g, [res * res, 2]));
      return this.data.classes ? tf.softmax(out) : tf.reshape(out, [-1]);
    });
    const values = v.dataSync() as Float32Array;
    v.dispose();
    return { res, extent, values: Float32Array.from(values) };
  }

  /** PCA of hidden layer `layer` (1-based; default the last) on the first test points. */
  embedding(layer = this.model.hidden.length): Embedding {
    const d = this.data.test;
    const m = Math.min(EMBED_N, d.n);
    const act = activation(this.model.config.activation);
    const h = tf.tidy(() => {
      let z: tf.Tensor = tf.slice(d.x, [0, 0], [m, 2]);
      for (let i = 0; i < layer; i++) z = act(this.model.hidden[i]!.apply(z));
      return z;
    });
    const width = h.shape[1]!;
    const X = h.dataSync();
    h.dispose();
    const p = pca2(X, m, width);
    let max = 1e-12;
    for (const v of p.coords) max = Math.max(max, Math.abs(v));
    return { layer: `h${layer}`, coords: Float32Array.from(p.coords, (v) => v / max), explained: p.explained };
  }

  dispose(): void {
    this.trainer.dispose();
    this.task.dispose();
  }
}

interface SplitTensors {
  x: tf.Tensor2D;
  /** int32 labels [n], or float targets [n, 1] */
  y: tf.Tensor;
  n: number;
  /** target variance (regression R²) */
  variance: number;
}

interface Split {
  train: SplitTensors;
  test: SplitTensors;
  classes: number;
}

export class PlaygroundSession {
  readonly runs: MethodRun[];
  /** host copies of the data, for drawing */
  readonly train: ToyData;
  readonly test: ToyData;
  readonly extent: [number, number, number, number];
  private readonly split: Split;

  constructor(readonly settings: PlaygroundSettings) {
    if (!settings.methods.length) throw new Error('playground: choose at least one method');
    const task = settings.task;
    if (isGraphTask(task)) throw new Error(`playground: '${task}' is a graph task; it trains in CoraSession (./cora)`);
    const rng = new Rng(settings.seed).fork('playground-data');
    this.train = toyData(task, settings.n, settings.noise, rng.fork('train'));
    this.test = toyData(task, settings.n, settings.noise, rng.fork('test'));
    const classes = this.train.classes;
    if (!classes && settings.methods.includes('drtp')) throw new Error(`playground: ${DRTP_REGRESSION}`);
    const mk = (d: ToyData): SplitTensors => {
      let variance = 1;
      if (!classes) {
        let mu = 0;
        for (const v of d.target) mu += v / d.n;
        variance = 0;
        for (const v of d.target) variance += (v - mu) ** 2 / d.n;
      }
      return {
        x: tf.keep(tf.tensor2d(d.x, [d.n, 2])),
        y: tf.keep(classes ? tf.tensor1d(d.y, 'int32') : tf.tensor2d(d.target, [d.n, 1])),
        n: d.n,
        variance,
      };
    };
    this.split = { train: mk(this.train), test: mk(this.test), classes };
    let m = 0;
    for (const v of this.train.x) m = Math.max(m, Math.abs(v));
    const e = Math.ceil(m * 11) / 10;
    this.extent = [-e, e, -e, e];
    this.runs = settings.methods.map((meth) => new MethodRun(meth, settings, this.split));
  }

  get step(): number {
    return this.runs[0]!.step;
  }

  /** One step of every method; returns their minibatch losses. */
  stepAll(): number[] {
    return this.runs.map((r) => r.trainStep());
  }

  dispose(): void {
    for (const r of this.runs) r.dispose();
    for (const s of [this.split.train, this.split.test]) tf.dispose([s.x, s.y]);
  }
}

export interface FixedRunResult {
  backend: string;
  /** per method: minibatch loss of each step, the final evaluation, and the final alignment means */
  methods: Record<string, { losses: number[]; final: EvalPoint; alignment: number[] }>;
}

/**
 * A fixed, short training run whose numbers the tests compare between Node and the page: the
 * same seed and backend must give bit-identical losses.
 */
export async function runFixedSteps(settings: PlaygroundSettings, steps: number): Promise<FixedRunResult> {
  const s = new PlaygroundSession(settings);
  try {
    const methods: FixedRunResult['methods'] = {};
    for (const r of s.runs) methods[r.method] = { losses: [], final: null as unknown as EvalPoint, alignment: [] };
    for (let i = 0; i < steps; i++) s.stepAll().forEach((l, k) => methods[s.runs[k]!.method]!.losses.push(l));
    for (const r of s.runs) {
      methods[r.method]!.final = r.evaluate();
      methods[r.method]!.alignment = (await r.alignment()).map((a) => a.mean);
    }
    return { backend: tf.getBackend(), methods };
  } finally {
    s.dispose();
  }
}
