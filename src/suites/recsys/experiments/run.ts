/**
 * One recommender run: train a model with BP, DFA or shallow on the train split (streamed,
 * shuffled per epoch), pick the epoch with the best validation AUC, report its test AUC and
 * log loss; optionally measure DFA alignment (Table A.1) on a batch of 512 validation rows.
 * With `checkpointDir`, the run is saved after every epoch and resumed from there when restarted.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { Feedback, type AlignmentStat } from '../../../feedback';
import { iterateBatches, splitSize, type RowSource } from '../data';
import { createRecsysModel, evaluate, trainStep, type EvalResult, type RecsysModelName, type RecsysModelOptions, type RecsysModel } from '../models';
import { Adam } from '../../../optim';
import { Progress } from '../../../command/progress';
import { PAPER_SETUP, type RecsysMethod } from '../paper';
import { getRecsysState, recsysVarNames, setRecsysState } from '../../../models/recsys/state';
import { checkFingerprint, recsysCheckpointStore, type RunFingerprint } from '../../../experiments/recsys/checkpoint';

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
  val: EvalResult;
  test: EvalResult;
  bestEpoch: number;
  epochs: number;
  valAucs: number[];
  trainLoss: number;
  seconds: number;
  samplesPerSec: number;
  alignment?: AlignmentStat[];
  /** the alignment every `alignEvery` steps (and at step 0), when asked */
  alignmentTrajectory?: { step: number; stats: AlignmentStat[] }[];
}

export async function runRecsys(src: RowSource, cfg: RecsysRunConfig): Promise<RecsysRunResult> {
  const method: RecsysMethod = cfg.model === 'fm' ? 'bp' : cfg.method; // FM has no hidden layer
  const model = createRecsysModel(cfg.model, src.fieldDims, { ...(cfg.model === 'fm' ? { embedDim: PAPER_SETUP.fmEmbedDim } : {}), ...cfg.modelOpts, dropout: cfg.dropout, seed: cfg.seed });
  // B ~ U(−1, 1) / sqrt(widest point), as TinyDFA with normalization (the paper's code)
  const fb = new Feedback({ method, seed: cfg.seed, scaling: 'widest' });
  const weightDecay = cfg.weightDecay ?? PAPER_SETUP.weightDecay;
  const clipNorm = cfg.clipNorm === undefined ? PAPER_SETUP.clipNorm[cfg.model] : cfg.clipNorm ?? undefined;
  const opt = new Adam({ lr: cfg.lr, weightDecay });
  const rng = new Rng(cfg.seed).fork('recsys-train');
  const splitSeed = cfg.splitSeed ?? 0;
  const evalOn = (split: 'val' | 'test') => evaluate(model, iterateBatches(src, { batchSize: 4096, split, splitSeed, maxRows: cfg.maxEvalRows }));
  const t0 = Date.now();
  let best: { val: EvalResult; test: EvalResult; epoch: number } | null = null;
  let valAucs: number[] = [];
  let lastLoss = NaN;
  let trained = 0;
  let trainMs = 0;
  let epoch = 0;
  let step = 0;
  let alignMs = 0;
  let trajectory: { step: number; stats: AlignmentStat[] }[] = [];
  const track = cfg.alignEvery && method === 'dfa' ? cfg.alignEvery : 0;
  const trainRows = cfg.progress ? Math.min(cfg.maxTrainRows ?? Infinity, splitSize(src.numRows, 'train', splitSeed)) : 0;
  const store = cfg.checkpointDir ? recsysCheckpointStore(cfg.checkpointDir) : null;
  const fingerprint: RunFingerprint = {
    model: cfg.model, method, lr: cfg.lr, dropout: cfg.dropout, batchSize: cfg.batchSize, seed: cfg.seed, splitSeed, weightDecay, clipNorm: clipNorm ?? null,
    maxTrainRows: cfg.maxTrainRows ?? null, maxEvalRows: cfg.maxEvalRows ?? null, alignEvery: track, modelOpts: JSON.stringify(cfg.modelOpts ?? {}),
    dataRows: src.numRows, fieldDims: src.fieldDims.join(','),
  };
  try {
    const ck = store?.load();
    if (ck) {
      checkFingerprint(ck.fingerprint, fingerprint, store!.describe());
      setRecsysState(model, ck.model);
      opt.setState(ck.optimizer, recsysVarNames(model));
      fb.setState(ck.feedback);
      rng.setState(ck.rng);
      ({ valAucs, best, lastLoss, trained, trainMs, step, trajectory } = ck);
      epoch = ck.epoch;
      if (cfg.progress) console.error(`${cfg.model}/${method}: resuming after epoch ${epoch} from ${store!.describe()} (best: epoch ${best.epoch}, val AUC ${best.val.auc.toFixed(4)})`);
    } else if (track) trajectory.push({ step: 0, stats: await measureAlignment(model, fb, src, splitSeed) });
    // `epoch` = epochs completed; patience counts from the best one
    const patienceLeft = () => !best || cfg.patience === undefined || epoch - best.epoch < cfg.patience;
    while (epoch < cfg.epochs && patienceLeft()) {
      epoch++;
      const prog = cfg.progress ? new Progress(trainRows, `${cfg.model}/${method} epoch ${epoch}/${cfg.epochs}`) : null;
      let sum = 0, n = 0, rows = 0;
      const te = Date.now();
      for (const b of iterateBatches(src, { batchSize: cfg.batchSize, split: 'train', splitSeed, shuffle: true, rng: rng.fork(`epoch${epoch}`), maxRows: cfg.maxTrainRows })) {
        sum += trainStep(model, b, fb, opt, { lr: cfg.lr, weightDecay, clipNorm }, rng);
        n++;
        if (track && ++step % track === 0) {
          const ta = Date.now();
          trajectory.push({ step, stats: await measureAlignment(model, fb, src, splitSeed) });
          alignMs += Date.now() - ta; // not training time
        }
        rows += b.size;
        prog?.update(rows, { loss: sum / n });
      }
      trainMs += Date.now() - te - alignMs;
      alignMs = 0;
      trained += rows;
      lastLoss = sum / Math.max(1, n);
      const val = evalOn('val');
      valAucs.push(val.auc);
      if (!best || val.auc > best.val.auc) best = { val, test: evalOn('test'), epoch };
      if (cfg.progress) console.error(`${cfg.model}/${method} epoch ${epoch}: train loss ${lastLoss.toFixed(4)}, val AUC ${val.auc.toFixed(4)}` +
        (best.epoch === epoch ? ` (best so far; test AUC ${best.test.auc.toFixed(4)})` : ` (best: epoch ${best.epoch}, ${best.val.auc.toFixed(4)})`));
      store?.save({
        version: 1, format: 'dfa-ts-recsys-run', fingerprint, epoch, step, model: getRecsysState(model), optimizer: opt.getState(recsysVarNames(model)),
        feedback: fb.getState(), rng: rng.getState(), valAucs, best, lastLoss, trained, trainMs, trajectory,
      });
    }
    if (!best) throw new Error(`${cfg.model}/${method}: no epoch to train (epochs ${cfg.epochs})`);
    const alignment = cfg.alignment && method === 'dfa' ? await measureAlignment(model, fb, src, splitSeed) : undefined;
    return {
      val: best.val, test: best.test, bestEpoch: best.epoch, epochs: epoch, valAucs, trainLoss: lastLoss,
      seconds: (Date.now() - t0) / 1000, samplesPerSec: trained / Math.max(1e-3, trainMs / 1000), alignment,
      ...(track ? { alignmentTrajectory: trajectory } : {}),
    };
  } finally {
    fb.dispose();
    opt.dispose();
    model.dispose();
  }
}

/**
 * Appendix A: per-sample cosine between DFA's signal and BP's gradient at each point, 512 rows,
 * plus the model's own measures (Deep&Cross: `cross<k>.xw`, see DeepCrossNetwork.alignmentProbe).
 */
export async function measureAlignment(model: RecsysModel, fb: Feedback, src: RowSource, splitSeed: number): Promise<AlignmentStat[]> {
  const it = iterateBatches(src, { batchSize: 512, split: 'val', splitSeed });
  const b = it.next().value;
  if (!b) return [];
  const idx = model.globalIndices(b.x);
  const ls = model.tables.map((t) => t.lookup(idx, true));
  const probe = model.alignmentProbe(ls, b.size);
  try {
    const y = tf.tensor2d(b.y, [b.size, 1]);
    const f = () => {
      const out = fb.output(model.forward(ls, b.size, { fb, training: false, rng: new Rng(0) }));
      return tf.losses.sigmoidCrossEntropy(y, out) as tf.Scalar;
    };
    const r = await fb.alignment(f, [...model.denseVars, ...ls.map((l) => l.gathered as tf.Variable)], { inspect: probe?.inspect });
    y.dispose();
    return [...r, ...(probe?.stats() ?? [])];
  } finally {
    probe?.dispose();
    ls.forEach((l) => l.dispose());
  }
}
