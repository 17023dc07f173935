/**
 * The best any model can do on the synthetic data: AUC and log loss of the generator's true click
 * probabilities on one split (rows regenerated from the seed; ~2 min per million rows on one core).
 * The ceiling the trained models' test AUCs are read against.
 */
import { rocAuc, logLoss } from '../../../metrics';
import { splitOf, type SplitName } from './split';
import { SyntheticCriteo } from './synthetic';

export interface OracleResult { auc: number; logLoss: number; n: number }

export function syntheticOracle(seed: number, numRows: number, split: SplitName = 'test', splitSeed = 0, onProgress?: (rows: number) => void): OracleResult {
  const gen = new SyntheticCriteo({ seed });
  const ys: number[] = [], ps: number[] = [];
  let i = 0;
  for (const r of gen.rows(0, numRows)) {
    if (splitOf(splitSeed, i) === split) {
      ys.push(r.label);
      ps.push(r.prob);
    }
    if (++i % 65536 === 0) onProgress?.(i);
  }
  return { auc: rocAuc(ys, ps), logLoss: logLoss(ys, ps), n: ys.length };
}
