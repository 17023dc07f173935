/** Table 4: the GCN graph auto-encoder's link prediction AUC / AP with BP and DFA. */
import * as tf from '@tensorflow/tfjs';
import { PlanetoidFileError, rowNormalize, type PlanetoidName } from '../data';
import { Rng } from '../../../engine/rng';
import { Feedback } from '../../../feedback';
import { averagePrecision } from '../../../metrics/average_precision';
import { rocAuc } from '../../../metrics/auc';
import { AdamL2 } from '../../../models/graph/adam';
import { GraphAutoEncoder } from '../models/gae';
import { Graph } from '../nn/graph';
import { sparse } from '../nn/input';
import { negativeSampling, trainTestSplitEdges, type EdgePairs } from '../data/link_split';
import { meanStd, type ResultRow } from '../../../command/results';
import { loadGraphData } from '../data/node_data';
import { TABLE4, type Dataset } from '../paper_values';

export interface GaeResult {
  auc: number;
  ap: number;
  valAuc: number;
  epochs: number;
}

/** The paper's schedule: 400 epochs (CiteSeer 200), results of the last epoch. */
export function gaeEpochs(ds: PlanetoidName): number {
  return ds === 'citeseer' ? 200 : 400;
}

function scores(gae: typeof GraphAutoEncoder, z: tf.Tensor, pos: EdgePairs, neg: EdgePairs): { auc: number; ap: number } {
  const s = tf.tidy(() => tf.sigmoid(tf.concat([gae.decode(z, pos), gae.decode(z, neg)])).dataSync() as Float32Array);
  const y = new Float32Array(s.length);
  y.fill(1, 0, pos.src.length);
  return { auc: rocAuc(y, s), ap: averagePrecision(y, s) };
}

export async function runGae(ds: PlanetoidName, method: 'bp' | 'dfa' | 'shallow', seed: number, opts: { epochs?: number; dataDir?: string } = {}): Promise<GaeResult> {
  const d = await loadGraphData(ds, opts.dataDir ? `${opts.dataDir}/${ds}` : undefined);
  const rng = new Rng(seed);
  const split = trainTestSplitEdges(d.numNodes, d.src, d.dst, rng.fork('split'));
  const g = new Graph(d.numNodes, split.trainPos.src, split.trainPos.dst);
  const model = new GraphAutoEncoder(sparse(rowNormalize(d.x)), g, rng.fork('init'));
  const lr = method !== 'bp' && ds === 'citeseer' ? 0.02 : 0.01;
  const opt = new AdamL2([{ params: model.params(), weightDecay: 0 }], lr);
  const fb = new Feedback({ method, rng: rng.fork('feedback') });
  const negRng = rng.fork('negatives');
  const epochs = opts.epochs ?? gaeEpochs(ds);
  let last = { auc: NaN, ap: NaN }, valAuc = NaN;
  for (let ep = 1; ep <= epochs; ep++) {
    tf.tidy(() => {
      const neg = negativeSampling(split.trainPos, d.numNodes, split.trainPos.src.length, negRng);
      const { value, grads } = fb.grads(() => GraphAutoEncoder.reconLoss(model.encode(fb), split.trainPos, neg), model.params());
      const l = value.dataSync()[0]!;
      if (!Number.isFinite(l)) throw new Error(`GAE ${ds} ${method}: loss is ${l}`);
      opt.step(grads as Map<tf.Variable, tf.Tensor | undefined>);
    });
    if (ep === epochs) {
      tf.tidy(() => {
        const z = model.encode(fb);
        last = scores(GraphAutoEncoder, z, split.testPos, split.testNeg);
        valAuc = scores(GraphAutoEncoder, z, split.valPos, split.valNeg).auc;
      });
    }
  }
  fb.dispose();
  for (const v of model.params()) v.dispose();
  return { auc: last.auc, ap: last.ap, valAuc, epochs };
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
        const paper = TABLE4[ds as Dataset][metric][k];
        const vals = res.map((r) => r[metric]);
        const ms = skipped ? { mean: NaN, std: NaN } : meanStd(vals);
        const note = skipped ?? (Math.abs(ms.mean - paper) > 0.02 ? `misses the paper by ${(ms.mean - paper).toFixed(3)} (target: within 0.02)` : undefined);
        rows.push({ table: 'table4', dataset: ds, model: 'GAE (GCN)', method, metric: metric.toUpperCase(), ...ms, seeds: vals.length, paper, values: vals, note });
      }
    }
  }
  return rows;
}
