/** Table 4: the GCN graph auto-encoder's link prediction AUC / AP with BP and DFA. */
import { loadGraphData, PlanetoidFileError, rowNormalize, type PlanetoidName } from '../data';
import { trainTestSplitEdges } from '../data/link_split';
import { Rng } from '../../../engine/rng';
import { meanStd } from '../../../metrics/stats';
import { train } from '../../../train/trainer';
import type { ResultRow } from '../../../command/results';
import { GraphAutoEncoder } from '../models/gae';
import { Graph } from '../nn/graph';
import { sparse } from '../nn/input';
import { gaeEpochs, gaeLr, TABLE4, type GraphMethod } from '../paper';
import { GaeTask } from '../train/gae_task';

export interface GaeResult {
  auc: number;
  ap: number;
  valAuc: number;
  epochs: number;
}

/** One (dataset, method, seed) run: the GaeTask trained by the core `train()`, evaluated at the last epoch only. */
export async function runGae(ds: PlanetoidName, method: GraphMethod, seed: number, opts: { epochs?: number; dataDir?: string } = {}): Promise<GaeResult> {
  const d = await loadGraphData(ds, opts.dataDir ? `${opts.dataDir}/${ds}` : undefined);
  const rng = new Rng(seed);
  const split = trainTestSplitEdges(d.numNodes, d.src, d.dst, rng.fork('split'));
  const g = new Graph(d.numNodes, split.trainPos.src, split.trainPos.dst);
  const model = new GraphAutoEncoder(sparse(rowNormalize(d.x)), g, rng.fork('init'));
  const task = new GaeTask(model, split, rng.fork('negatives'), rng.fork('feedback'));
  const epochs = opts.epochs ?? gaeEpochs(ds);
  try {
    const r = await train(task, { method, seed, epochs, optimizer: { name: 'adam', lr: gaeLr(ds, method) }, rng, evalEvery: epochs });
    const last = r.epochs[r.epochs.length - 1]!;
    return { auc: last.test!.metric, ap: last.test!.extra!.ap!, valAuc: last.val!.metric, epochs };
  } finally {
    task.dispose();
  }
}

export async function table4(o: { seeds: number[]; datasets: PlanetoidName[]; dataDir?: string; epochs?: number }): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const ds of o.datasets) {
    for (const method of ['bp', 'dfa'] as const) {
      const k = method === 'bp' ? 0 : 1;
      const res: GaeResult[] = [];
      let skipped: string | undefined;
      try {
        for (const s of o.seeds) {
          res.push(await runGae(ds, method, s, { dataDir: o.dataDir, epochs: o.epochs }));
          process.stderr.write(`table4 ${ds}/${method} seed ${s}: AUC ${res[res.length - 1]!.auc.toFixed(3)} AP ${res[res.length - 1]!.ap.toFixed(3)}\n`);
        }
      } catch (e) {
        if (!(e instanceof PlanetoidFileError)) throw e;
        skipped = `skipped: ${e.message.split('\n')[0]}`;
      }
      for (const metric of ['auc', 'ap'] as const) {
        const paper = TABLE4[ds][metric][k];
        const vals = res.map((r) => r[metric]);
        const ms = skipped ? { mean: NaN, std: NaN } : meanStd(vals);
        const note = skipped ?? (Math.abs(ms.mean - paper) > 0.02 ? `misses the paper by ${(ms.mean - paper).toFixed(3)} (target: within 0.02)` : undefined);
        rows.push({ table: 'table4', dataset: ds, model: 'GAE (GCN)', method, metric: metric.toUpperCase(), ...ms, seeds: vals.length, paper, values: vals, note });
      }
    }
  }
  return rows;
}
