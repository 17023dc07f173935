/**
 * One (dataset, architecture, method, seed) node-classification run: the NodeTask trained by the
 * core `train()` (full batch, Adam with the paper's parameter groups, validation and test every
 * epoch), the test accuracy at the best validation epoch, the median step and evaluation times,
 * and on request DFA's alignment after the last epoch.
 */
import type { PlanetoidName } from '../data/parse';
import { loadGraphData } from '../data';
import { nodeData } from '../data/node_data';
import { Rng } from '../../../engine/rng';
import { median } from '../../../metrics/stats';
import { train } from '../../../train/trainer';
import { archSetting, type Arch, type GraphMethod } from '../paper';
import { NodeTask } from '../train/node_task';

export interface NodeCellResult {
  testAtBestVal: number;
  bestVal: number;
  bestEpoch: number;
  /** median ms of a training step (forward + backward + Adam), epochs after the 10th */
  trainMs: number;
  /** median ms of an epoch's evaluation (one forward, validation and test accuracy), epochs after the 10th */
  evalMs: number;
  wallS: number;
  /** DFA only, when asked: per-node cosine between the DFA signal and the BP gradient at the hidden point */
  alignment?: { mean: number; std: number; n: number };
}

export interface NodeCellOptions {
  epochs: number;
  dataDir?: string;
  alignment?: boolean;
}

export async function runNodeCell(dataset: PlanetoidName, arch: Arch, method: GraphMethod, seed: number, opts: NodeCellOptions): Promise<NodeCellResult> {
  const d = await loadGraphData(dataset, opts.dataDir ? `${opts.dataDir}/${dataset}` : undefined);
  const s = archSetting(arch, method);
  const data = nodeData(d, s, seed);
  const rng = new Rng(seed);
  const model = s.build(data.x, data.graph, data.numClasses, rng.fork('init'));
  const task = new NodeTask(model, data, { name: `${dataset}/${arch}`, describe: { dataset, arch, setting: s.describe } });
  const align = !!opts.alignment && method === 'dfa';
  try {
    const t0 = performance.now();
    const r = await train(task, {
      method, seed, epochs: opts.epochs, optimizer: { name: 'adam', lr: s.lr }, rng: rng.fork('train'),
      // as the paper's alignment.py: once, after training (loss over every node, evaluation forward)
      alignEvery: align ? opts.epochs : 0,
    });
    const wallS = (performance.now() - t0) / 1000;
    const timed = r.epochs.filter((e) => e.epoch > 10);
    const stats = r.epochs[r.epochs.length - 1]!.alignment ?? [];
    // One hidden point for the two-layer nets; for deeper ones, the average over points.
    const k = stats.length;
    const alignment = k ? { mean: stats.reduce((a, x) => a + x.mean, 0) / k, std: stats.reduce((a, x) => a + x.std, 0) / k, n: stats.reduce((a, x) => a + x.n, 0) } : undefined;
    return {
      testAtBestVal: r.testAtBest, bestVal: r.bestVal, bestEpoch: r.bestEpoch,
      trainMs: median(timed.map((e) => e.msPerStep)), evalMs: median(timed.map((e) => e.evalMs)), wallS, alignment,
    };
  } finally {
    task.dispose();
  }
}
