/**
 * One (dataset, architecture, method, seed) node-classification run, from its JSON params alone:
 * the NodeTask trained by the core `train()` (full batch, Adam with the paper's parameter groups,
 * validation and test every epoch), the test accuracy at the best validation epoch, the median
 * step and evaluation times; on request the alignment after the last epoch (Table A.2) and the
 * t-SNE of the hidden layer (Fig. 2).
 */
import * as tf from '@tensorflow/tfjs';
import type { RunContext } from '../../../command/experiment';
import { Rng } from '../../../engine/rng';
import type { Method } from '../../../feedback/methods';
import { median } from '../../../metrics/stats';
import { TrainingDivergedError, train } from '../../../train/trainer';
import { centroidSeparation } from '../../../viz/scatter';
import { tsne } from '../../../viz/tsne';
import { nodeData } from '../data/node_data';
import type { PlanetoidName } from '../data/parse';
import { archSetting, type Arch } from '../paper';
import { NodeTask } from '../train/node_task';
import { loadRunData } from './run_data';

/** Everything a node run needs and every setting that changes its result. */
export interface NodeRunParams {
  kind: 'node';
  dataset: PlanetoidName;
  arch: Arch;
  method: Method;
  seed: number;
  epochs: number;
  /** measure alignment once, after training (methods with a signal of their own) */
  alignment: boolean;
  /** t-SNE iterations of the hidden layer after training (fig2), or null */
  tsne: number | null;
  /** a user's folder holding <dataset>/ (null: the shared data) */
  data: string | null;
}

export interface NodeRunResult {
  /** test accuracy (0..1) at the epoch of the best validation accuracy */
  testAcc: number;
  bestVal: number;
  bestEpoch: number;
  /** median ms of a training step (forward + backward + Adam), epochs after the 10th (all when there are fewer) */
  trainMs: number;
  /** median ms of an epoch's evaluation (one forward, validation and test accuracy), likewise */
  evalMs: number;
  wallS: number;
  /** per-node cosine between the method's signal and the BP gradient at the hidden point(s), averaged over points */
  alignment?: { mean: number; std: number; n: number };
  /** layer-wise methods: angle (degrees) between each layer's feedback matrix and Wᵀ */
  angles?: { name: string; degrees: number }[];
  /** fig2: the 2-D t-SNE of the hidden layer (evaluation mode, final weights), rounded for drawing */
  tsne?: { points: number[]; labels: number[]; separation: number; seconds: number };
}

/** A run whose loss became non-finite: a result (the same seed diverges again), not a failure. */
export interface Diverged {
  diverged: string;
}

export async function runNode(p: NodeRunParams, ctx: RunContext): Promise<NodeRunResult | Diverged> {
  const d = await loadRunData(p.dataset, p.data);
  const s = archSetting(p.arch, p.method);
  const data = nodeData(d, s, p.seed);
  const rng = new Rng(p.seed);
  const model = s.build(data.x, data.graph, data.numClasses, rng.fork('init'));
  if (p.tsne !== null && !model.hidden) throw new Error(`${p.arch}: the model has no hidden layer to embed`);
  const task = new NodeTask(model, data, { name: `${p.dataset}/${p.arch}`, describe: { dataset: p.dataset, arch: p.arch, setting: s.describe } });
  try {
    const t0 = performance.now();
    const r = await train(task, {
      method: p.method, seed: p.seed, epochs: p.epochs, optimizer: { name: 'adam', lr: s.lr }, rng: rng.fork('train'),
      // as the paper's alignment.py: once, after training (loss over every node, evaluation forward)
      alignEvery: p.alignment ? p.epochs : 0,
    }, {
      onEpoch: (rec) => ctx.progress(rec.epoch / p.epochs, { 'val acc': 100 * (rec.val?.metric ?? NaN) }),
    });
    const wallS = (performance.now() - t0) / 1000;
    const late = r.epochs.filter((e) => e.epoch > 10);
    const timed = late.length ? late : r.epochs;
    const last = r.epochs[r.epochs.length - 1]!;
    const stats = last.alignment ?? [];
    // One hidden point for the two-layer nets; for deeper ones, the average over points.
    const k = stats.length;
    const alignment = k ? { mean: stats.reduce((a, x) => a + x.mean, 0) / k, std: stats.reduce((a, x) => a + x.std, 0) / k, n: stats.reduce((a, x) => a + x.n, 0) } : undefined;
    const out: NodeRunResult = {
      testAcc: r.testAtBest, bestVal: r.bestVal, bestEpoch: r.bestEpoch,
      trainMs: median(timed.map((e) => e.msPerStep)), evalMs: median(timed.map((e) => e.evalMs)), wallS,
      ...(alignment ? { alignment } : {}),
      ...(last.angles?.length ? { angles: last.angles } : {}),
    };
    if (p.tsne !== null) out.tsne = embed(model.hidden!.bind(model), data.y, p);
    ctx.log(`  ${p.dataset}/${p.arch}/${p.method} seed ${p.seed}: test ${(100 * out.testAcc).toFixed(1)} % (epoch ${out.bestEpoch})` +
      (alignment ? `, alignment ${alignment.mean.toFixed(3)}` : '') + (out.tsne ? `, t-SNE nearest-centroid ${(100 * out.tsne.separation).toFixed(1)} % (${out.tsne.seconds.toFixed(1)} s)` : ''));
    return out;
  } catch (e) {
    if (!(e instanceof TrainingDivergedError)) throw e;
    ctx.log(`  ${p.dataset}/${p.arch}/${p.method} seed ${p.seed}: ${e.message}`);
    return { diverged: e.message };
  } finally {
    task.dispose();
  }
}

/** The hidden layer's t-SNE (the run's seed), its nearest-class-centroid accuracy, and the points for the figure. */
function embed(hidden: () => tf.Tensor, y: Int32Array, p: NodeRunParams): NonNullable<NodeRunResult['tsne']> {
  const h = tf.tidy(hidden);
  const [n, d] = h.shape as [number, number];
  const x = Float32Array.from(h.dataSync());
  h.dispose();
  const t0 = performance.now();
  const Y = tsne(x, n, d, { seed: p.seed, iterations: p.tsne! });
  const separation = centroidSeparation(Y, y);
  // 4 decimals are plenty for a picture (t-SNE coordinates span tens) and keep the result file small
  return { points: Array.from(Y, (v) => Math.round(v * 1e4) / 1e4), labels: Array.from(y), separation, seconds: (performance.now() - t0) / 1000 };
}
