/**
 * A recommender model on Criteo rows as a TrainTask of the one training loop (src/train): the
 * train split streamed in shuffled batches, the sigmoid cross-entropy through the Feedback (see
 * each model for its feedback points), validation and test AUC / log loss. The embedding rows a
 * batch uses are sparse parameters (`ctx.sparse`), stepped by lazy Adam; the dense variables by
 * the Trainer's optimizer. The task's state (checkpoints): the tables, their Adam moments, the
 * BatchNorm statistics and the alignment measured during training.
 */
import * as tf from '@tensorflow/tfjs';
import { DeterministicRunError } from '../../../command/experiment';
import { Feedback, type AlignmentStat, type Method } from '../../../feedback';
import type { Rng } from '../../../engine/rng';
import { rocAuc, logLoss } from '../../../metrics';
import type { SparseEmbeddingState } from '../../../nn/sparse_embedding';
import { SparseAdam, type SparseAdamState } from '../../../optim/sparse_adam';
import type { SavedTensor } from '../../../optim/optimizer';
import type { EvalResult, StepContext, TrainTask } from '../../../train/task';
import { iterateBatches, type CriteoBatch, type RowSource } from '../data';
import { createRecsysModel, type RecsysModel, type RecsysModelName, type RecsysModelOptions } from '../models';
import type { RecsysForward } from '../models/model';

export interface RecsysTaskConfig {
  model: RecsysModelName;
  /** the model's sizes, dropout and seed */
  modelOpts: RecsysModelOptions;
  /** the feedback matrices' seed */
  seed: number;
  batchSize: number;
  splitSeed: number;
  /** Adam's L2 weight decay on the embedding rows a step touches */
  weightDecay: number;
  /** train on at most this many rows per epoch / evaluate on at most this many */
  maxTrainRows?: number;
  maxEvalRows?: number;
  /** settings of the run beyond these, recorded and compared on resume */
  describe?: Record<string, unknown>;
}

/** The alignment at each feedback point after `step` training steps. */
export interface AlignmentPoint {
  step: number;
  stats: AlignmentStat[];
}

interface RecsysTaskState {
  tables: Record<string, SparseEmbeddingState>;
  sparseAdam: SparseAdamState;
  statistics: Record<string, SavedTensor>;
  trajectory: AlignmentPoint[];
}

export const EVAL_BATCH = 4096;

export class RecsysTask implements TrainTask<CriteoBatch> {
  readonly name: string;
  readonly metric = { name: 'AUC', higherIsBetter: true };
  readonly model: RecsysModel;
  readonly sparseAdam: SparseAdam;
  /** alignment measured during training (filled by the run, kept in checkpoints) */
  trajectory: AlignmentPoint[] = [];

  constructor(readonly src: RowSource, readonly cfg: RecsysTaskConfig) {
    this.name = `recsys-${cfg.model}`;
    this.model = createRecsysModel(cfg.model, src.fieldDims, cfg.modelOpts);
    this.sparseAdam = new SparseAdam({ weightDecay: cfg.weightDecay });
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.model.namedVariables();
  }

  batches(_epoch: number, rng: Rng): Iterable<CriteoBatch> {
    const { batchSize, splitSeed, maxTrainRows } = this.cfg;
    return iterateBatches(this.src, { batchSize, split: 'train', splitSeed, shuffle: true, rng, maxRows: maxTrainRows });
  }

  loss(batch: CriteoBatch, fb: Feedback, ctx: StepContext): tf.Scalar {
    const idx = this.model.globalIndices(batch.x);
    const rows = this.model.tables.map((t) => ctx.sparse(this.sparseAdam.rows(t, t.lookup(idx, true))) as tf.Tensor2D);
    return batchLoss(this.model, batch, rows, { fb, training: true, rng: ctx.rng });
  }

  evaluate(split: 'val' | 'test'): EvalResult {
    const r = evaluate(this.model, iterateBatches(this.src, { batchSize: EVAL_BATCH, split, splitSeed: this.cfg.splitSeed, maxRows: this.cfg.maxEvalRows }), split === 'val' ? 'validation' : 'test');
    return { metric: r.auc, loss: r.logLoss, extra: { n: r.n } };
  }

  /** B ~ U(−1, 1) / sqrt(widest point), as TinyDFA with normalization (the paper's code). */
  createFeedback(method: Method): Feedback {
    return new Feedback({ method, seed: this.cfg.seed, scaling: 'widest' });
  }

  getState(): RecsysTaskState {
    const tables = Object.fromEntries(Object.entries(this.model.namedTables()).map(([n, t]) => [n, t.getState()]));
    const statistics = Object.fromEntries(Object.entries(this.model.namedStateVariables()).map(([n, v]) => [n, { shape: v.shape, data: v.dataSync() as Float32Array }]));
    return { tables, sparseAdam: this.sparseAdam.getState(this.tableNames()), statistics, trajectory: this.trajectory };
  }

  setState(state: unknown): void {
    const s = state as RecsysTaskState;
    const tables = this.model.namedTables();
    const missing = Object.keys(tables).filter((n) => !s.tables[n]);
    if (missing.length) throw new Error(`${this.name}: the saved state has no table '${missing.join("', '")}'`);
    for (const [n, t] of Object.entries(tables)) t.setState(s.tables[n]!);
    for (const [n, v] of Object.entries(this.model.namedStateVariables())) {
      const saved = s.statistics[n];
      if (!saved || saved.shape.join() !== v.shape.join()) throw new Error(`${this.name}: the saved state has no statistics '${n}' of shape [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(saved.data, v.shape)));
    }
    this.sparseAdam.setState(s.sparseAdam, this.tableNames());
    this.trajectory = s.trajectory;
  }

  describe(): Record<string, unknown> {
    const { model, batchSize, splitSeed, maxTrainRows, maxEvalRows, modelOpts } = this.cfg;
    return { model, batchSize, splitSeed, maxTrainRows: maxTrainRows ?? null, maxEvalRows: maxEvalRows ?? null, modelOpts,
      dataRows: this.src.numRows, fieldDims: this.src.fieldDims.join(','), ...this.cfg.describe };
  }

  dispose(): void {
    this.model.dispose();
  }

  private tableNames() {
    return new Map(Object.entries(this.model.namedTables()).map(([n, t]) => [t, n]));
  }
}

/**
 * The batch's loss: sigmoid cross-entropy of the logits, through fb.output when training through a
 * Feedback. The click label [B, 1] is drtp's target (fb.target; the other methods ignore it).
 */
export function batchLoss(model: RecsysModel, batch: CriteoBatch, rows: tf.Tensor2D[], ctx: RecsysForward): tf.Scalar {
  const B = batch.size;
  const logits = model.forward(rows, B, ctx);
  const y = tf.tensor2d(batch.y, [B, 1]);
  ctx.fb?.target(y);
  const out = ctx.fb ? ctx.fb.output(logits) : logits;
  return tf.losses.sigmoidCrossEntropy(y, out) as tf.Scalar;
}

/** Click probabilities of a batch (evaluation mode: no dropout, BatchNorm running statistics). */
export function predict(model: RecsysModel, batch: CriteoBatch): Float32Array {
  const lookups = model.tables.map((t) => t.lookup(model.globalIndices(batch.x), false));
  try {
    return tf.tidy(() => tf.sigmoid(model.forward(lookups.map((l) => l.gathered), batch.size, { fb: null, training: false, rng: null })).dataSync() as Float32Array);
  } finally {
    for (const l of lookups) l.dispose();
  }
}

export interface RecsysEval { auc: number; logLoss: number; n: number }

/** AUC and log loss over the batches; a split without both clicks and non-clicks is named (its AUC is undefined, a retry cannot help). */
export function evaluate(model: RecsysModel, batches: Iterable<CriteoBatch>, split = 'evaluation'): RecsysEval {
  const ys: number[] = [];
  const ps: number[] = [];
  let positives = 0;
  for (const b of batches) {
    const p = predict(model, b);
    for (let i = 0; i < b.size; i++) {
      ys.push(b.y[i]!);
      ps.push(p[i]!);
      positives += b.y[i]!;
    }
  }
  if (positives === 0 || positives === ys.length) {
    throw new DeterministicRunError(`the ${split} split has ${ys.length} rows${ys.length ? `, ${positives ? 'all clicks' : 'no click'}` : ''}: its AUC is undefined (too few rows, or a file of one class?)`);
  }
  return { auc: rocAuc(ys, ps), logLoss: logLoss(ys, ps), n: ys.length };
}
