/**
 * Figure 2 / A.2: t-SNE of the two-layer GCN's hidden activations (ReLU of layer 1, eval mode)
 * on Cora after training with DFA, BP and shallow, coloured by class, side by side. The same
 * t-SNE settings for all three (as the paper). Also reports, per method, the nearest-class-
 * centroid accuracy in the 2-D embedding: a number for "classes form clear clusters".
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { Rng } from '../../../engine/rng';
import { centroidSeparation, writeScatter, type ScatterPanel } from '../../../viz/scatter';
import { tsne } from '../../../viz/tsne';
import type { ResultRow } from '../../../command/results';
import { train } from '../../../train/trainer';
import { loadGraphData } from '../data';
import { nodeData } from '../data/node_data';
import type { GCNNet } from '../models/node';
import { archSetting, type GraphMethod } from '../paper';
import { NodeTask } from '../train/node_task';

/** The two-layer GCN trained on Cora with `method`: its hidden activations (evaluation mode) and test accuracy. */
export async function hiddenActivations(method: GraphMethod, seed: number, epochs: number, dataDir?: string): Promise<{ h: Float32Array; n: number; d: number; labels: Int32Array; testAcc: number }> {
  const d = await loadGraphData('cora', dataDir ? `${dataDir}/cora` : undefined);
  const s = archSetting('gcn', method);
  const data = nodeData(d, s, seed);
  const rng = new Rng(seed);
  const model = s.build(data.x, data.graph, data.numClasses, rng.fork('init')) as GCNNet;
  const task = new NodeTask(model, data, { name: 'cora/gcn' });
  try {
    const r = await train(task, { method, seed, epochs, optimizer: { name: 'adam', lr: s.lr }, rng: rng.fork('train'), alignEvery: 0 });
    const h = tf.tidy(() => model.hidden());
    const out = { h: Float32Array.from(h.dataSync()), n: h.shape[0]!, d: h.shape[1]!, labels: d.y, testAcc: r.testAtBest };
    h.dispose();
    return out;
  } finally {
    task.dispose();
  }
}

export async function fig2(o: { seed: number; epochs: number; dataDir?: string; outDir: string; tsneIterations?: number }): Promise<ResultRow[]> {
  const panels: ScatterPanel[] = [];
  const rows: ResultRow[] = [];
  for (const method of ['dfa', 'bp', 'shallow'] as const) {
    const a = await hiddenActivations(method, o.seed, o.epochs, o.dataDir);
    const t0 = Date.now();
    const Y = tsne(a.h, a.n, a.d, { seed: o.seed, iterations: o.tsneIterations ?? 1000 });
    const sep = centroidSeparation(Y, a.labels);
    process.stderr.write(`fig2 ${method}: test acc ${(100 * a.testAcc).toFixed(1)} %, t-SNE ${((Date.now() - t0) / 1000).toFixed(1)} s, nearest-centroid accuracy ${(100 * sep).toFixed(1)} %\n`);
    panels.push({ title: `${method.toUpperCase()} (test ${(100 * a.testAcc).toFixed(1)} %)`, points: Y, labels: a.labels });
    rows.push({ table: 'fig2', dataset: 'cora', model: 'GraphConv', method, metric: 't-SNE nearest-centroid acc. (%)', mean: 100 * sep, std: 0, seeds: 1, paper: null, note: `hidden layer t-SNE; classifier test accuracy ${(100 * a.testAcc).toFixed(1)} %` });
  }
  const files = writeScatter(join(o.outDir, 'fig2_tsne_cora_gcn'), panels);
  console.log(`fig2: wrote ${files.join(', ')}`);
  return rows;
}
