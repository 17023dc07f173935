/**
 * The paper's recommender numbers (Table 2, A.1, A.3; all on the full 45M-row Criteo) and the
 * appendix C hyper-parameters (learning rate, dropout) per model and method.
 */
import { isDirect, type Method } from '../../feedback';
import type { RecsysModelName } from './models';

/** The methods the paper ran on the recommenders (appendix C's settings exist for these). */
export type PaperMethod = 'bp' | 'dfa' | 'shallow';

export const PAPER_TABLE2: Record<string, { auc: number; loss: number }> = {
  'fm/bp': { auc: 0.7915, loss: 0.4687 },
  'deepfm/bp': { auc: 0.7954, loss: 0.4610 },
  'deepfm/dfa': { auc: 0.7956, loss: 0.4624 },
  'dcn/bp': { auc: 0.8104, loss: 0.4414 },
  'dcn/dfa': { auc: 0.8009, loss: 0.4502 },
  'afn/bp': { auc: 0.7933, loss: 0.4630 },
  'afn/dfa': { auc: 0.7924, loss: 0.4621 },
};

export const PAPER_TABLEA3: Record<string, { auc: number; loss: number }> = {
  'deepfm/shallow': { auc: 0.7920, loss: 0.4682 },
  'dcn/shallow': { auc: 0.7324, loss: 0.5010 },
  'afn/shallow': { auc: 0.7859, loss: 0.4685 },
};

/**
 * Alignment (cosine) mean (std) at the deepest DFA layer: Deep&Cross's first cross layer, AFN's
 * logarithmic layer. The paper's code (TinyDFA's AlignmentMeasurement) compares the gradients at
 * a module's output; for a cross layer that module is Linear(dim, 1), a scalar per sample, so its
 * per-sample cosine is ±1: mean 0.40 with std 0.91 (the most a mean of 0.40 allows is 0.917)
 * means 70 % of samples agree in sign.
 */
export const PAPER_TABLEA1: Record<string, { mean: number; std: number }> = {
  dcn: { mean: 0.40, std: 0.91 },
  afn: { mean: 0.49, std: 0.08 },
};

/**
 * Appendix C, as the paper's own scripts run it (paper-experiments/recommender-systems/
 * reproduce_{fm,deepfm,deepcross,afn}.sh): BP and DFA rates and dropout as the appendix; the
 * shallow rows and FM, which the appendix does not list, from those scripts.
 */
export const HYPERPARAMS: Record<RecsysModelName, Partial<Record<PaperMethod, { lr: number; dropout: number }>>> = {
  fm: { bp: { lr: 1e-4, dropout: 0 } },
  deepfm: { bp: { lr: 3e-4, dropout: 0.5 }, dfa: { lr: 5e-5, dropout: 0.5 }, shallow: { lr: 1e-4, dropout: 0.1 } },
  dcn: { bp: { lr: 2e-4, dropout: 0 }, dfa: { lr: 5e-5, dropout: 0 }, shallow: { lr: 1e-3, dropout: 0 } },
  afn: { bp: { lr: 4e-4, dropout: 0.3 }, dfa: { lr: 3e-4, dropout: 0 }, shallow: { lr: 4e-4, dropout: 0 } },
};

/**
 * The rest of the paper's training setup (recsys.py and the scripts): Adam without weight decay,
 * BCE loss, batch 2048 except Deep&Cross's 512 (BP and DFA), Deep&Cross's gradients clipped at
 * global norm 100, FM with embeddings of 16.
 */
export const PAPER_SETUP = {
  weightDecay: 0,
  batchSize: { fm: 2048, deepfm: 2048, dcn: 512, afn: 2048 } as Record<RecsysModelName, number>,
  clipNorm: { dcn: 100 } as Partial<Record<RecsysModelName, number>>,
  fmEmbedDim: 16,
};

/**
 * Appendix C's learning rate and dropout of a model and method. Methods the paper did not run take
 * the settings of their family's paper method: drtp DFA's, the layer-wise ones BP's (`from` says
 * whose they are).
 */
export function hyperparams(model: RecsysModelName, method: Method): { lr: number; dropout: number; from: PaperMethod } {
  const h = HYPERPARAMS[model];
  const own = method === 'bp' || method === 'dfa' || method === 'shallow' ? method : null;
  const from: PaperMethod = own && h[own] ? own : isDirect(method) && h.dfa ? 'dfa' : 'bp';
  return { ...h[from]!, from };
}

/** The paper's value of a cell: Table 2 (bp, dfa), Table A.3 (shallow); null for methods the paper did not run. */
export function paperValue(model: RecsysModelName, method: Method): { auc: number; loss: number } | null {
  return (method === 'shallow' ? PAPER_TABLEA3[`${model}/shallow`] : PAPER_TABLE2[`${model}/${method}`]) ?? null;
}

/** The paper's grid (appendix C): lr 1e-4 … 1e-3 by 1e-4, dropout 0.1 … 0.5 by 0.1. */
export const PAPER_GRID = {
  lr: Array.from({ length: 10 }, (_, i) => +((i + 1) * 1e-4).toFixed(4)),
  dropout: [0.1, 0.2, 0.3, 0.4, 0.5],
};
