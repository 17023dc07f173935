/**
 * A recommender run's checkpoint after each epoch, so a run that is stopped (a 45M-row epoch takes
 * hours on a CPU) resumes where it was and ends with the numbers of a run never stopped: the model
 * (dense variables, BatchNorm statistics, sparse tables with their Adam moments), the dense Adam
 * state, the feedback matrix, the training Rng, and the run's history (validation AUC per epoch,
 * the best epoch with its test result). The settings that shape the numbers are stored too: a
 * resume with other settings is refused, naming them.
 */
import type { RngState } from '../../engine/rng';
import type { FeedbackState, AlignmentStat } from '../../feedback';
import type { OptimizerState } from '../../optim/optimizer';
import { packFloat32Json, unpackFloat32Json } from '../../train/checkpoint';
import { FileCheckpointStore, type CheckpointCodec } from '../../train/checkpoint_fs';
import type { EvalResult } from '../../suites/recsys/models';
import type { RecsysModelState } from '../../models/recsys/state';
import { join } from 'node:path';

/** Everything that changes a run's numbers except the epoch budget and patience (those may grow on resume). */
export type RunFingerprint = Record<string, string | number | boolean | null>;

export interface RecsysCheckpoint {
  version: 1;
  format: 'dfa-ts-recsys-run';
  fingerprint: RunFingerprint;
  /** epochs completed */
  epoch: number;
  step: number;
  model: RecsysModelState;
  optimizer: OptimizerState;
  feedback: FeedbackState;
  rng: RngState;
  valAucs: number[];
  best: { val: EvalResult; test: EvalResult; epoch: number };
  lastLoss: number;
  trained: number;
  trainMs: number;
  trajectory: { step: number; stats: AlignmentStat[] }[];
}

const codec: CheckpointCodec<RecsysCheckpoint> = {
  pack: (c) => packFloat32Json(c),
  unpack: (json, bin) => {
    const c = unpackFloat32Json<RecsysCheckpoint>(json, bin);
    if (c.format !== 'dfa-ts-recsys-run' || c.version !== 1) throw new Error(`not a recommender run checkpoint (format ${String(c.format)}, version ${String(c.version)})`);
    return c;
  },
};

export function recsysCheckpointStore(dir: string): FileCheckpointStore<RecsysCheckpoint> {
  return new FileCheckpointStore<RecsysCheckpoint>(dir, codec);
}

/** Where `--checkpoint ROOT` keeps one run: ROOT/<model>-<method>[-<tag>]-seed<k>. */
export function runCheckpointDir(root: string | undefined, model: string, method: string, seed: number, tag?: string): string | undefined {
  return root === undefined ? undefined : join(root, `${model}-${method}${tag ? `-${tag}` : ''}-seed${seed}`);
}

/** Throws, naming every setting that differs, when a checkpoint was made by another configuration. */
export function checkFingerprint(saved: RunFingerprint, now: RunFingerprint, where: string): void {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(now)])];
  const diff = keys.filter((k) => JSON.stringify(saved[k] ?? null) !== JSON.stringify(now[k] ?? null));
  if (diff.length) {
    throw new Error(`checkpoint ${where} is of another run: ${diff.map((k) => `${k} ${JSON.stringify(saved[k] ?? null)} there, ${JSON.stringify(now[k] ?? null)} here`).join('; ')}` +
      ' (delete that folder to start over, or checkpoint elsewhere)');
  }
}
