/**
 * One recommender run on the one training loop: a RecsysTask trained by the core Trainer with any
 * method on the train split (streamed, shuffled per epoch), validation AUC every epoch, the test
 * split evaluated only at a new best (`testWhen: 'best'`), early stopping on patience. Table A.1's
 * alignment is measured on the final model, and with `alignEvery` every N training steps too (a
 * trajectory, through the Trainer's step hook). With `checkpointDir` the run is saved after every
 * epoch and resumed from there (same settings only) when restarted.
 */
import { DeterministicRunError } from '../../../command/experiment';
import { Rng } from '../../../engine/rng';
import type { AlignmentStat, Method } from '../../../feedback';
import { FileCheckpointStore } from '../../../train/checkpoint_fs';
import type { EvalResult } from '../../../train/task';
import { Trainer, type EpochRecord, type TrainConfig, type TrainHooks } from '../../../train/trainer';
import { splitSize, type CriteoBatch, type RowSource } from '../data';
import type { RecsysModelName, RecsysModelOptions } from '../models';
import { hasAlignment } from '../models/placement';
import { PAPER_SETUP } from '../paper';
import { measureAlignment } from './alignment';
import { RecsysTask, type AlignmentPoint, type RecsysEval } from './task';

export interface RecsysRunConfig {
  model: RecsysModelName;
  method: Method;
  lr: number;
  dropout: number;
  epochs: number;
  batchSize: number;
  seed: number;
  /** Adam's L2 weight decay (default the paper's 0) */
  weightDecay?: number;
  /** global gradient-norm clip (default the paper's: 100 for Deep&Cross, none otherwise) */
  clipNorm?: number | null;
  splitSeed?: number;
  /** train on at most this many rows per epoch / evaluate on at most this many */
  maxTrainRows?: number;
  maxEvalRows?: number;
  modelOpts?: RecsysModelOptions;
  /** measure the alignment on the final model (methods that have one: the direct and layer-wise ones) */
  alignment?: boolean;
  /** stop after this many epochs without a better validation AUC */
  patience?: number;
  /** also measure the alignment every this many training steps (a trajectory) */
  alignEvery?: number;
  /** save the run here after every epoch, and resume from what is there (same settings only) */
  checkpointDir?: string;
  /** progress within the run (0..1) with the running loss and the best validation AUC so far */
  onProgress?(fraction: number, fields: Record<string, string | number>): void;
  /** one line per epoch, and where a run resumed from */
  log?(message: string): void;
}

export interface RecsysRunResult {
  val: RecsysEval;
  test: RecsysEval;
  bestEpoch: number;
  epochs: number;
  valAucs: number[];
  trainLoss: number;
  seconds: number;
  samplesPerSec: number;
  /** true when the run continued from a checkpoint */
  resumed: boolean;
  alignment?: AlignmentStat[];
  /** the alignment every `alignEvery` steps (and at step 0), when asked */
  alignmentTrajectory?: AlignmentPoint[];
}

/** The task and the Trainer's configuration of a run (also what the benchmarks step). */
export function recsysTraining(src: RowSource, cfg: RecsysRunConfig): { task: RecsysTask; train: TrainConfig; method: Method } {
  const method: Method = cfg.model === 'fm' ? 'bp' : cfg.method; // FM has no hidden layer: every method is BP
  const weightDecay = cfg.weightDecay ?? PAPER_SETUP.weightDecay;
  const clipNorm = cfg.clipNorm === undefined ? PAPER_SETUP.clipNorm[cfg.model] : cfg.clipNorm ?? undefined;
  const task = new RecsysTask(src, {
    model: cfg.model, seed: cfg.seed, batchSize: cfg.batchSize, splitSeed: cfg.splitSeed ?? 0, weightDecay, maxTrainRows: cfg.maxTrainRows, maxEvalRows: cfg.maxEvalRows,
    modelOpts: { ...(cfg.model === 'fm' ? { embedDim: PAPER_SETUP.fmEmbedDim } : {}), ...cfg.modelOpts, dropout: cfg.dropout, seed: cfg.seed },
    describe: { dropout: cfg.dropout, alignEverySteps: cfg.alignEvery && hasAlignment(method) ? cfg.alignEvery : 0 },
  });
  // One stream for the dropout masks and (forked per epoch) the shuffles, as before the one loop.
  const rng = new Rng(cfg.seed).fork('recsys-train');
  const train: TrainConfig = {
    method, seed: cfg.seed, epochs: cfg.epochs, optimizer: { name: 'adam', lr: cfg.lr, weightDecay }, clipNorm, patience: cfg.patience,
    testWhen: 'best', alignEvery: 0, rng, dropoutRng: rng,
  };
  return { task, train, method };
}

export async function runRecsys(src: RowSource, cfg: RecsysRunConfig): Promise<RecsysRunResult> {
  const splitSeed = cfg.splitSeed ?? 0;
  const rowsPerEpoch = Math.min(cfg.maxTrainRows ?? Infinity, splitSize(src.numRows, 'train', splitSeed));
  if (rowsPerEpoch < 1) throw new DeterministicRunError(`the train split of ${src.numRows} rows is empty: nothing to train on`);
  const { task, train, method } = recsysTraining(src, cfg);
  const t0 = Date.now();
  const track = cfg.alignEvery && hasAlignment(method) ? cfg.alignEvery : 0;
  const label = `${cfg.model}/${method}`;
  const stepsPerEpoch = Math.ceil(rowsPerEpoch / cfg.batchSize);
  let trainer: Trainer<CriteoBatch> | null = null;
  let lossSum = 0;
  let bestAuc = NaN;
  const hooks: TrainHooks = {
    store: cfg.checkpointDir ? new FileCheckpointStore(cfg.checkpointDir) : undefined,
    onStep: async (s) => {
      if (cfg.onProgress) {
        if (s.batch === 1) lossSum = 0;
        lossSum += s.loss;
        const done = (s.epoch - 1 + Math.min(1, s.batch / stepsPerEpoch)) / cfg.epochs;
        cfg.onProgress(done, { epoch: `${s.epoch}/${cfg.epochs}`, loss: lossSum / s.batch, ...(Number.isFinite(bestAuc) ? { 'best val AUC': bestAuc } : {}) });
      }
      if (track && s.step % track === 0) task.trajectory.push({ step: s.step, stats: await measureAlignment(task.model, s.fb, src, splitSeed) });
    },
    onEpoch: (rec) => {
      const best = bestEpoch(trainer!.history);
      bestAuc = best.val!.metric;
      cfg.log?.(`${label} epoch ${rec.epoch}: train loss ${rec.trainLoss.toFixed(4)}, val AUC ${rec.val!.metric.toFixed(4)}` +
        (best.epoch === rec.epoch ? ` (best so far; test AUC ${best.test!.metric.toFixed(4)})` : ` (best: epoch ${best.epoch}, ${best.val!.metric.toFixed(4)})`));
    },
  };
  try {
    trainer = new Trainer(task, train, hooks);
    if (trainer.resumed) {
      const best = bestEpoch(trainer.history);
      bestAuc = best.val!.metric;
      cfg.log?.(`${label}: resuming after epoch ${trainer.epoch} from ${hooks.store!.describe()} (best: epoch ${best.epoch}, val AUC ${best.val!.metric.toFixed(4)})`);
    }
    if (!trainer.resumed && track) task.trajectory.push({ step: 0, stats: await measureAlignment(task.model, trainer.fb, src, splitSeed) });
    const r = await trainer.run();
    const best = r.epochs.find((e) => e.epoch === r.bestEpoch)!;
    const trainMs = r.epochs.reduce((a, e, i) => a + e.msPerStep * (e.step - (r.epochs[i - 1]?.step ?? 0)), 0);
    const alignment = cfg.alignment && hasAlignment(method) ? await measureAlignment(task.model, trainer.fb, src, splitSeed) : undefined;
    return {
      val: evalOf(best.val!), test: evalOf(best.test!), bestEpoch: best.epoch, epochs: trainer.epoch, valAucs: r.epochs.map((e) => e.val!.metric),
      trainLoss: r.epochs[r.epochs.length - 1]!.trainLoss, seconds: (Date.now() - t0) / 1000,
      samplesPerSec: (rowsPerEpoch * r.epochs.length) / Math.max(1e-3, trainMs / 1000), resumed: r.resumed, alignment,
      ...(track ? { alignmentTrajectory: task.trajectory } : {}),
    };
  } finally {
    trainer?.dispose();
    task.dispose();
  }
}

/** The epoch with the best validation AUC (the first of ties): the one whose test split was evaluated. */
function bestEpoch(history: EpochRecord[]): EpochRecord {
  return history.reduce((b, e) => (e.val!.metric > b.val!.metric ? e : b));
}

function evalOf(e: EvalResult): RecsysEval {
  return { auc: e.metric, logLoss: e.loss, n: e.extra?.n ?? NaN };
}
