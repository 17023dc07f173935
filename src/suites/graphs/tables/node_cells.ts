/** One (dataset, architecture, method, seed) node-classification run, and alignment after it. */
import * as tf from '@tensorflow/tfjs';
import type { PlanetoidName } from '../data';
import { Rng } from '../../../engine/rng';
import type { Arch, GraphMethod } from '../models/node';
import { archSetting } from '../paper';
import { nllLoss, trainNodeClassifier } from '../train/node_task';
import { loadGraphData, nodeTask } from '../data/node_data';

export interface NodeCellResult {
  testAtBestVal: number;
  bestVal: number;
  bestEpoch: number;
  trainMs: number;
  evalMs: number;
  wallS: number;
  /** DFA only, when asked: per-node cosine between the DFA signal and the BP gradient at the hidden point */
  alignment?: { mean: number; std: number; n: number };
}

export interface NodeCellOptions {
  epochs: number;
  dataDir?: string;
  alignment?: boolean;
  onEpoch?: (epoch: number, val: number, test: number) => void;
}

export async function runNodeCell(dataset: PlanetoidName, arch: Arch, method: GraphMethod, seed: number, opts: NodeCellOptions): Promise<NodeCellResult> {
  const d = await loadGraphData(dataset, opts.dataDir ? `${opts.dataDir}/${dataset}` : undefined);
  const s = archSetting(arch, method);
  const task = nodeTask(d, s, seed);
  const rng = new Rng(seed);
  const model = s.build(task.x, task.graph, task.numClasses, rng.fork('init'));
  const t0 = performance.now();
  const r = trainNodeClassifier(model, task, { method, lr: s.lr, epochs: opts.epochs, rng: rng.fork('train'), onEpoch: opts.onEpoch && ((e, v, t) => opts.onEpoch!(e, v, t)) });
  const wallS = (performance.now() - t0) / 1000;
  let alignment: NodeCellResult['alignment'];
  if (opts.alignment && method === 'dfa') {
    // As the paper's alignment.py: loss over every node (train, val and test), eval-mode forward.
    const all = Int32Array.from({ length: d.numNodes }, (_, i) => i);
    const evalRng = rng.fork('align');
    const stats = await r.fb.alignment(() => nllLoss(model.forward(r.fb, false, evalRng), task.y, all, task.numClasses, model.logSoftmaxOutput), model.params());
    // One hidden point for the two-layer nets; for deeper ones, the average over points.
    if (stats.length) {
      const k = stats.length;
      alignment = { mean: stats.reduce((a, x) => a + x.mean, 0) / k, std: stats.reduce((a, x) => a + x.std, 0) / k, n: stats.reduce((a, x) => a + x.n, 0) };
    }
  }
  r.fb.dispose();
  for (const v of model.params()) v.dispose();
  void tf;
  return { testAtBestVal: r.testAtBestVal, bestVal: r.bestVal, bestEpoch: r.bestEpoch, trainMs: r.trainMsMedian, evalMs: r.evalMsMedian, wallS, alignment };
}
