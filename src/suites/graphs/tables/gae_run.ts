/**
 * One (dataset, method, seed) run of Table 4, from its JSON params alone: the GCN graph
 * auto-encoder's GaeTask trained by the core `train()`, link prediction AUC / AP at the last epoch.
 */
import { DeterministicRunError, type RunContext } from '../../../command/experiment';
import { Rng } from '../../../engine/rng';
import type { Method } from '../../../feedback/methods';
import { TrainingDivergedError, train } from '../../../train/trainer';
import { rowNormalize, type PlanetoidName } from '../data';
import { trainTestSplitEdges } from '../data/link_split';
import { GraphAutoEncoder } from '../models/gae';
import { Graph } from '../nn/graph';
import { sparse } from '../nn/input';
import { gaeLr } from '../paper';
import { GaeTask } from '../train/gae_task';
import type { Diverged } from './node_run';
import { loadRunData } from './run_data';

export interface GaeRunParams {
  kind: 'gae';
  dataset: PlanetoidName;
  method: Method;
  seed: number;
  epochs: number;
  /** a user's folder holding <dataset>/ (null: the shared data) */
  data: string | null;
}

export interface GaeRunResult {
  auc: number;
  ap: number;
  valAuc: number;
  epochs: number;
  wallS: number;
}

/** drtp projects a class target; link prediction has none. */
export const GAE_UNDEFINED: Partial<Record<Method, string>> = {
  drtp: 'drtp is undefined for the graph auto-encoder: it projects a class target, and link prediction has none',
};

export async function runGae(p: GaeRunParams, ctx: RunContext): Promise<GaeRunResult | Diverged> {
  const why = GAE_UNDEFINED[p.method];
  if (why) throw new DeterministicRunError(why);
  const d = await loadRunData(p.dataset, p.data);
  const rng = new Rng(p.seed);
  const split = trainTestSplitEdges(d.numNodes, d.src, d.dst, rng.fork('split'));
  const g = new Graph(d.numNodes, split.trainPos.src, split.trainPos.dst);
  const model = new GraphAutoEncoder(sparse(rowNormalize(d.x)), g, rng.fork('init'));
  const task = new GaeTask(model, split, rng.fork('negatives'), rng.fork('feedback'));
  const t0 = performance.now();
  try {
    const r = await train(task, { method: p.method, seed: p.seed, epochs: p.epochs, optimizer: { name: 'adam', lr: gaeLr(p.dataset, p.method) }, rng, evalEvery: p.epochs }, {
      onEpoch: (rec) => ctx.progress(rec.epoch / p.epochs),
    });
    const last = r.epochs[r.epochs.length - 1]!;
    const out = { auc: last.test!.metric, ap: last.test!.extra!.ap!, valAuc: last.val!.metric, epochs: p.epochs, wallS: (performance.now() - t0) / 1000 };
    ctx.log(`  gae ${p.dataset}/${p.method} seed ${p.seed}: AUC ${out.auc.toFixed(3)} AP ${out.ap.toFixed(3)}`);
    return out;
  } catch (e) {
    if (!(e instanceof TrainingDivergedError)) throw e;
    ctx.log(`  gae ${p.dataset}/${p.method} seed ${p.seed}: ${e.message}`);
    return { diverged: e.message };
  } finally {
    task.dispose();
  }
}
