/**
 * One recommender run on the one training loop: a RecsysTask trained by the core Trainer with
 * BP, DFA or shallow on the train split (streamed, shuffled per epoch), validation AUC every
 * epoch, the test split evaluated only at a new best (`testWhen: 'best'`), early stopping on
 * patience. Table A.1's alignment is measured on the final model, and with `alignEvery` every N
 * training steps too (a trajectory, through the Trainer's step hook). With `checkpointDir` the run
 * is saved after every epoch and resumed from there (same settings only) when restarted.
 */
import { join } from 'node:path';
import { Rng } from '../../../engine/rng';
import type { AlignmentStat } from '../../../feedback';
import { Progress } from '../../../command/progress';
import { FileCheckpointStore } from '../../../train/checkpoint_fs';
import type { EvalResult } from '../../../train/task';
import { Trainer, type EpochRecord, type TrainConfig, type TrainHooks } from '../../../train/trainer';
import { splitSize, type CriteoBatch, type RowSource } from '../data';
import type { RecsysModelName, RecsysModelOptions } from '../models';
import { PAPER_SETUP, type RecsysMethod } from '../paper';
import { measureAlignment } from './alignment';
import { RecsysTask, type AlignmentPoint, type RecsysEval } from './task';

export interface RecsysRunConfig {
  model: RecsysModelName;
  method: RecsysMethod;
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
  alignment?: boolean;
  progress?: boolean;
  /** stop after this many epochs without a better validation AUC */
  patience?: number;
  /** DFA: also measure the alignment every this many training steps (a trajectory) */
  alignEvery?: number;
  /** save the run here after every epoch, and resume from what is there (same settings only) */
  checkpointDir?: string;
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
  alignment?: AlignmentStat[];
  /** the alignment every `alignEvery` steps (and at step 0), when asked */
  alignmentTrajectory?: AlignmentPoint[];
}

/** The task and the Trainer's configuration of a run (also what the benchmarks step). */
export function recsysTraining(src: RowSource, cfg: RecsysRunConfig): { task: RecsysTask; train: TrainConfig; method: RecsysMethod } {
  const method: RecsysMethod = cfg.model === 'fm' ? 'bp' : cfg.method; // FM has no hidden layer
  const weightDecay = cfg.weightDecay ?? PAPER_SETUP.weightDecay;
  const clipNorm = cfg.clipNorm === undefined ? PAPER_SETUP.clipNorm[cfg.model] : cfg.clipNorm ?? undefined;
  const task = new RecsysTask(src, {
    model: cfg.model, seed: cfg.seed, batchSize: cfg.batchSize, splitSeed: cfg.splitSeed ?? 0, weightDecay, maxTrainRows: cfg.maxTrainRows, maxEvalRows: cfg.maxEvalRows,
    modelOpts: { ...(cfg.model === 'fm' ? { embedDim: PAPER_SETUP.fmEmbedDim } : {}), ...cfg.modelOpts, dropout: cfg.dropout, seed: cfg.seed },
    describe: { dropout: cfg.dropout, alignEverySteps: cfg.alignEvery && method === 'dfa' ? cfg.alignEvery : 0 },
  });
  // One stream for the dropout masks and (forked per epoch) the shuffles, as before the one loop.
  const rng = new Rng(cfg.seed).fork('recsys-train');
  const train: TrainConfig = {
    method, seed: cfg.seed, epochs: cfg.epochs, optimizer: { name: 'adam', lr: cfg.lr, weightDecay }, clipNorm, patience: cfg.patience,
    testWhen: 'best', alignEvery: 0, rng, dropoutRng: rng,
  };
  return { task, train, method };
}

/** Where `--checkpoint ROOT` keeps one run: ROOT/<model>-<method>[-<tag>]-seed<k>. */
export function runCheckpointDir(root: string | undefined, model: string, method: string, seed: number, tag?: string): string | undefined {
  return root === undefined ? undefined : join(root, `${model}-${method}${tag ? `-${tag}` : ''}-seed${seed}`);
}

export async function runRecsys(src: RowSource, cfg: RecsysRunConfig): Promise<RecsysRunResult> {
  const { task, train, method } = recsysTraining(src, cfg);
  const t0 = Date.now();
  const splitSeed = cfg.splitSeed ?? 0;
  const track = cfg.alignEvery && method === 'dfa' ? cfg.alignEvery : 0;
  const label = `${cfg.model}/${method}`;
  const rowsPerEpoch = Math.min(cfg.maxTrainRows ?? Infinity, splitSize(src.numRows, 'train', splitSeed));
  let trainer: Trainer<CriteoBatch> | null = null;
  let prog: Progress | null = null;
  let lossSum = 0;
  const hooks: TrainHooks = {
    store: cfg.checkpointDir ? new FileCheckpointStore(cfg.checkpointDir) : undefined,
    onStep: async (s) => {
      if (cfg.progress) {
        if (s.batch === 1) [prog, lossSum] = [new Progress(rowsPerEpoch, `${label} epoch ${s.epoch}/${cfg.epochs}`), 0];
        lossSum += s.loss;
        prog!.update(Math.min(s.batch * cfg.batchSize, rowsPerEpoch), { loss: lossSum / s.batch });
      }
      if (track && s.step % track === 0) task.trajectory.push({ step: s.step, stats: await measureAlignment(task.model, s.fb, src, splitSeed) });
    },
    onEpoch: (rec) => {
      if (!cfg.progress) return;
      const best = bestEpoch(trainer!.history);
      console.error(`${label} epoch ${rec.epoch}: train loss ${rec.trainLoss.toFixed(4)}, val AUC ${rec.val!.metric.toFixed(4)}` +
        (best.epoch === rec.epoch ? ` (best so far; test AUC ${best.test!.metric.toFixed(4)})` : ` (best: epoch ${best.epoch}, ${best.val!.metric.toFixed(4)})`));
    },
  };
  try {
    trainer = new Trainer(task, train, hooks);
    if (trainer.resumed && cfg.progress) {
      const best = bestEpoch(trainer.history);
      console.error(`${label}: resuming after epoch ${trainer.epoch} from ${hooks.store!.describe()} (best: epoch ${best.epoch}, val AUC ${best.val!.metric.toFixed(4)})`);
    }
    if (!trainer.resumed && track) task.trajectory.push({ step: 0, stats: await measureAlignment(task.model, trainer.fb, src, splitSeed) });
    const r = await trainer.run();
    const best = r.epochs.find((e) => e.epoch === r.bestEpoch)!;
    const trainMs = r.epochs.reduce((a, e, i) => a + e.msPerStep * (e.step - (r.epochs[i - 1]?.step ?? 0)), 0);
    const alignment = cfg.alignment && method === 'dfa' ? await measureAlignment(task.model, trainer.fb, src, splitSeed) : undefined;
    return {
      val: evalOf(best.val!), test: evalOf(best.test!), bestEpoch: best.epoch, epochs: trainer.epoch, valAucs: r.epochs.map((e) => e.val!.metric),
      trainLoss: r.epochs[r.epochs.length - 1]!.trainLoss, seconds: (Date.now() - t0) / 1000,
      samplesPerSec: (rowsPerEpoch * r.epochs.length) / Math.max(1e-3, trainMs / 1000), alignment,
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
