/**
 * A recommender run as an Experiment's run: everything it needs as JSON parameters (model,
 * method, seed, appendix C's or the user's learning rate and dropout, budget, the data's
 * reference), and the JSON result every recommender table is assembled from. Shared by the
 * tables (table2, tableA1, tableA3, recsys), recsys-synth and `dfa search`.
 */
import { DeterministicRunError, type RunContext } from '../../../command/experiment';
import type { Method } from '../../../feedback';
import { TrainingDivergedError } from '../../../train/trainer';
import type { RecsysModelName, RecsysModelOptions } from '../models';
import { dataLabel, estimatedRows, openData, type DataRef } from '../data/ref';
import { runRecsys, type RecsysRunResult } from './run';

export interface RecsysRunParams {
  model: RecsysModelName;
  method: Method;
  seed: number;
  lr: number;
  dropout: number;
  epochs: number;
  batchSize: number;
  maxTrainRows: number | null;
  maxEvalRows: number | null;
  patience: number | null;
  /** the 80/10/10 split's seed */
  splitSeed: number;
  data: DataRef;
  /** recsys-synth's variants of where DeepFM's and AFN's embeddings learn (absent: the paper's placement) */
  modelOpts?: Pick<RecsysModelOptions, 'mlpGradToEmbeddings' | 'embeddingPoint' | 'dfaEmbeddings'>;
  /** also measure the alignment every N training steps (a trajectory); null: only after training */
  alignEvery: number | null;
}

export interface RecsysRunSummary extends RecsysRunResult {
  /** the rows the run trained on */
  data: { label: string; source: string; rows: number; positives: number; fieldDims: number[] };
}

/** A rough relative cost of a run for progress estimates (epochs × train rows per epoch × a per-model factor). */
export function runCost(p: RecsysRunParams): number {
  const perRow: Record<RecsysModelName, number> = { fm: 0.05, deepfm: 1, dcn: 2, afn: 3 };
  return p.epochs * Math.min(p.maxTrainRows ?? Infinity, 0.8 * estimatedRows(p.data)) * perRow[p.model] / 1e4;
}

/**
 * One run from its parameters alone, checkpointed after every epoch into ctx.checkpointDir when
 * given (a retried run resumes there). Bad data, a split of one class and divergence are
 * DeterministicRunErrors naming the data: retrying cannot help.
 */
export async function runFromParams(p: RecsysRunParams, ctx: RunContext): Promise<RecsysRunSummary> {
  const data = await openData(p.data, { log: ctx.log });
  const src = data.open();
  try {
    const r = await runRecsys(src, {
      model: p.model, method: p.method, seed: p.seed, lr: p.lr, dropout: p.dropout, epochs: p.epochs, batchSize: p.batchSize,
      maxTrainRows: p.maxTrainRows ?? undefined, maxEvalRows: p.maxEvalRows ?? undefined, patience: p.patience ?? undefined, splitSeed: p.splitSeed,
      modelOpts: p.modelOpts, alignment: true, alignEvery: p.alignEvery ?? undefined, checkpointDir: ctx.checkpointDir,
      onProgress: (f, fields) => ctx.progress(f, fields), log: ctx.log,
    });
    const m = data.meta;
    ctx.log(`  ${p.model}/${p.method} seed ${p.seed}: test AUC ${r.test.auc.toFixed(4)} log loss ${r.test.logLoss.toFixed(4)} (lr ${p.lr}, dropout ${p.dropout}, best epoch ${r.bestEpoch}, ${r.seconds.toFixed(0)} s, ${Math.round(r.samplesPerSec)} samples/s${r.resumed ? `, resumed from ${ctx.checkpointDir}` : ''})`);
    return { ...r, data: { label: dataLabel(p.data), source: m.source, rows: m.numRows, positives: m.positives, fieldDims: m.fieldDims } };
  } catch (e) {
    if (e instanceof DeterministicRunError || e instanceof TrainingDivergedError) throw new DeterministicRunError(`${data.meta.source}: ${(e as Error).message}`);
    throw e;
  } finally {
    src.close();
  }
}
