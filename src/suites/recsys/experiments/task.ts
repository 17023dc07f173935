/**
 * One training step and evaluation for the recommender models.
 * Dense variables step with a tfjs optimizer; each embedding table steps its looked-up rows
 * with sparse (lazy) Adam from the gradient of the gathered rows. The Feedback decides which
 * variables get which signal (BP, DFA or shallow; see each model for its feedback points).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import type { Feedback } from '../../../feedback';
import type { Optimizer } from '../../../optim';
import { clipByGlobalNorm } from '../../../optim/clip';
import type { CriteoBatch } from '../data/batches';
import { rocAuc, logLoss } from '../../../metrics';
import type { RecsysModel } from '../models/model';
import type { EmbeddingLookup, SparseEmbedding } from '../../../nn/sparse_embedding';

export interface StepConfig {
  lr: number;
  /** L2 weight decay on the embedding rows a step touches (the paper's code: 0; torchfm's example 1e-6) */
  weightDecay?: number;
  /**
   * Clip the global gradient norm (dense variables and the embedding rows' summed gradients) at
   * this value, as torch.nn.utils.clip_grad_norm_ (the paper's code clips Deep&Cross at 100).
   */
  clipNorm?: number;
}

function lossOf(model: RecsysModel, batch: CriteoBatch, fb: Feedback | null, lookups: ReturnType<RecsysModel['tables'][number]['lookup']>[], rng: Rng, training: boolean): tf.Scalar {
  const B = batch.size;
  const logits = model.forward(lookups, B, { fb, training, rng });
  const out = fb ? fb.output(logits) : logits;
  return tf.losses.sigmoidCrossEntropy(tf.tensor2d(batch.y, [B, 1]), out) as tf.Scalar;
}

/** One step; returns the batch's training loss. `opt` steps the dense variables (its lr is theirs). */
export function trainStep(model: RecsysModel, batch: CriteoBatch, fb: Feedback, opt: Optimizer, cfg: StepConfig, rng: Rng): number {
  const idx = model.globalIndices(batch.x);
  const tables = model.tables;
  const lookups = tables.map((t) => t.lookup(idx, true));
  const rowVars = lookups.map((l) => l.gathered as tf.Variable);
  const dense = model.denseVars;
  try {
    const { value, grads } = fb.grads(() => lossOf(model, batch, fb, lookups, rng, true), [...dense, ...rowVars]);
    const loss = value.dataSync()[0]!;
    value.dispose();
    if (!Number.isFinite(loss)) {
      tf.dispose([...grads.values()]);
      throw new Error(`${model.name}: training loss is ${loss}; lower the learning rate`);
    }
    const rowGrads = lookups.map((_, i) => grads.get(rowVars[i]!)?.dataSync() as Float32Array | undefined);
    if (cfg.clipNorm !== undefined) clipAll(grads, dense, rowGrads, lookups, tables, cfg.clipNorm);
    lookups.forEach((l, i) => {
      const g = grads.get(rowVars[i]!);
      if (g) tables[i]!.applyGrads(l, rowGrads[i]!, { lr: cfg.lr, weightDecay: cfg.weightDecay });
      g?.dispose();
      grads.delete(rowVars[i]!);
    });
    opt.apply(grads); // the dense variables that got a signal (disposes their gradients)
    return loss;
  } finally {
    for (const l of lookups) l.dispose();
  }
}

/**
 * torch's clip_grad_norm_ over the dense gradients and the embedding tables' gradients, whose
 * norm is that of the per-row sums (a row used twice in a batch has one gradient, the sum).
 * Scales the map's dense gradients (clipByGlobalNorm: in place where it may) and replaces the
 * entries of rowGrads by scaled copies; returns the norm.
 */
export function clipAll(grads: Map<tf.Variable, tf.Tensor>, dense: tf.Variable[], rowGrads: (Float32Array | undefined)[], lookups: EmbeddingLookup[], tables: SparseEmbedding[], maxNorm: number): number {
  let rowSq = 0;
  rowGrads.forEach((g, i) => {
    if (!g) return;
    for (const x of tables[i]!.segmentSum(lookups[i]!, g)) rowSq += x * x;
  });
  const sub = new Map(dense.filter((v) => grads.has(v)).map((v) => [v, grads.get(v)!] as [tf.Variable, tf.Tensor]));
  const norm = clipByGlobalNorm(sub, maxNorm, rowSq);
  for (const [v, g] of sub) grads.set(v, g);
  const scale = maxNorm / (norm + 1e-6);
  if (scale >= 1) return norm;
  rowGrads.forEach((g, i) => {
    if (!g) return;
    const c = new Float32Array(g.length); // dataSync's array may be the tensor's own storage
    for (let k = 0; k < g.length; k++) c[k] = g[k]! * scale;
    rowGrads[i] = c;
  });
  return norm;
}

/** Loss of a batch without training (no dropout, BatchNorm running statistics). */
export function batchLoss(model: RecsysModel, batch: CriteoBatch): number {
  const lookups = model.tables.map((t) => t.lookup(model.globalIndices(batch.x), false));
  try {
    return tf.tidy(() => lossOf(model, batch, null, lookups, new Rng(0), false).dataSync()[0]!);
  } finally {
    for (const l of lookups) l.dispose();
  }
}

/** Click probabilities of a batch (evaluation mode). */
export function predict(model: RecsysModel, batch: CriteoBatch): Float32Array {
  const lookups = model.tables.map((t) => t.lookup(model.globalIndices(batch.x), false));
  try {
    return tf.tidy(() => tf.sigmoid(model.forward(lookups, batch.size, { fb: null, training: false, rng: new Rng(0) })).dataSync() as Float32Array);
  } finally {
    for (const l of lookups) l.dispose();
  }
}

export interface EvalResult { auc: number; logLoss: number; n: number }

export function evaluate(model: RecsysModel, batches: Iterable<CriteoBatch>): EvalResult {
  const ys: number[] = [];
  const ps: number[] = [];
  for (const b of batches) {
    const p = predict(model, b);
    for (let i = 0; i < b.size; i++) {
      ys.push(b.y[i]!);
      ps.push(p[i]!);
    }
  }
  return { auc: rocAuc(ys, ps), logLoss: logLoss(ys, ps), n: ys.length };
}
