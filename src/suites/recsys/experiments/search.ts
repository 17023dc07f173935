/**
 * Appendix C's hyper-parameter search: a grid over learning rate × dropout for one model and
 * method, each configuration trained the same way, the winner chosen on validation AUC (the
 * test split is reported but never used to choose). Every configuration's result is kept.
 */
import type { RowSource } from '../data';
import type { RecsysModelName } from '../models';
import type { RecsysMethod } from '../paper';
import { runCheckpointDir, runRecsys, type RecsysRunConfig } from './run';

export interface SearchPoint {
  lr: number;
  dropout: number;
  valAuc: number;
  valLogLoss: number;
  testAuc: number;
  testLogLoss: number;
  bestEpoch: number;
  seconds: number;
}

export interface SearchResult {
  model: RecsysModelName;
  method: RecsysMethod;
  points: SearchPoint[];
  best: SearchPoint;
}

export async function gridSearch(
  src: RowSource,
  base: Omit<RecsysRunConfig, 'lr' | 'dropout'>,
  grid: { lr: number[]; dropout: number[] },
  onPoint: (p: SearchPoint, i: number, n: number) => void = () => {},
  /** checkpoint every configuration under this folder, so a stopped search resumes where it was */
  checkpointRoot?: string,
): Promise<SearchResult> {
  if (!grid.lr.length || !grid.dropout.length) throw new Error('search: the grid needs at least one lr and one dropout');
  const points: SearchPoint[] = [];
  const n = grid.lr.length * grid.dropout.length;
  for (const lr of grid.lr) {
    for (const dropout of grid.dropout) {
      const checkpointDir = runCheckpointDir(checkpointRoot, base.model, base.method, base.seed, `lr${lr}-dropout${dropout}`);
      const r = await runRecsys(src, { ...base, lr, dropout, checkpointDir });
      const p: SearchPoint = {
        lr, dropout, valAuc: r.val.auc, valLogLoss: r.val.logLoss, testAuc: r.test.auc, testLogLoss: r.test.logLoss,
        bestEpoch: r.bestEpoch, seconds: r.seconds,
      };
      points.push(p);
      onPoint(p, points.length, n);
    }
  }
  const best = points.reduce((a, b) => (b.valAuc > a.valAuc ? b : a));
  return { model: base.model, method: base.method, points, best };
}
