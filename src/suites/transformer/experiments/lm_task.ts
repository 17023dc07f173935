/**
 * Training loop of the Transformer LM: batches from an LmDataset, one forward + backward per the
 * method (BP, DFA macro/micro, shallow), global-norm gradient clipping, Adam (src/train/optim)
 * under one of the Table 5 learning-rate rules, validation perplexity after every epoch, and the
 * best parameters kept.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { LmDataset } from '../data/lm_dataset';
import { Adam } from '../../../optim';
import { clipByGlobalNorm } from '../../../optim/clip';
import { crossEntropy } from '../../../nn/transformer/cross_entropy';
import { GPT, type ErrorAt } from '../models/gpt';
import { gptFeedback, lmMethod, type LmMethod } from '../models/feedback';
import { warmupInvSqrtLr, ReduceLROnPlateau, type ScheduleKind } from '../../../experiments/transformer/schedules';

export interface LmOptimConfig {
  lr: number; // constant / initial rate; for 'noam' the peak rate (at the end of warm-up)
  beta1: number;
  beta2: number;
  eps: number;
  schedule: ScheduleKind;
  warmup: number; // noam warm-up steps
  plateauFactor: number;
  plateauPatience: number;
  clip: number; // global gradient-norm clip, 0 = none
}

export interface LmTrainConfig {
  method: LmMethod;
  errorAt: ErrorAt;
  dfaEmbed: boolean;
  batch: number;
  epochs: number;
  stepsPerEpoch: number; // 0 = a full pass over the training chunks
  validChunks: number; // 0 = the whole validation set
  seed: number;
  optim: LmOptimConfig;
}

export interface EpochLog {
  epoch: number;
  steps: number;
  trainLoss: number; // mean over the epoch's steps
  validPpl: number;
  lr: number;
  seconds: number;
}

export interface LmTrainResult {
  history: EpochLog[];
  bestValidPpl: number;
  bestEpoch: number;
  best: Map<string, Float32Array>; // parameters at the best validation perplexity
  tokensPerSecond: number; // training throughput (steps only, evaluation excluded)
}

/** Perplexity of `model` on (the first `maxChunks` chunks of) `data`, no dropout. */
export function evaluatePerplexity(model: GPT, data: LmDataset, batch: number, maxChunks = 0): number {
  let nll = 0, n = 0;
  for (const b of data.sequential(batch, maxChunks > 0 ? maxChunks : Infinity)) {
    nll += tf.tidy(() => {
      const x = tf.tensor2d(b.inputs, [b.batch, b.ctx], 'int32');
      const y = tf.tensor1d(b.targets, 'int32');
      return crossEntropy(model.forward(x), y).dataSync()[0]!;
    }) * b.batch * b.ctx;
    n += b.batch * b.ctx;
  }
  return Math.exp(nll / n);
}

export function trainLm(
  model: GPT,
  train: LmDataset,
  valid: LmDataset,
  cfg: LmTrainConfig,
  onEpoch?: (log: EpochLog) => void,
  onStep?: (step: number, total: number, loss: number) => void,
): LmTrainResult {
  const o = cfg.optim;
  const rng = new Rng(cfg.seed);
  const dataRng = rng.fork('batches');
  const dropRng = rng.fork('dropout');
  const { method, granularity } = lmMethod(cfg.method);
  const fb = gptFeedback(method, granularity, model.config, cfg.errorAt, rng.fork('feedback'));
  const vars = [...model.params.values()];
  const opt = new Adam({ lr: o.lr, beta1: o.beta1, beta2: o.beta2, eps: o.eps });
  const plateau = o.schedule === 'plateau' ? new ReduceLROnPlateau(o.lr, o.plateauFactor, o.plateauPatience) : null;
  const fullEpoch = Math.floor(train.numChunks / cfg.batch);
  if (fullEpoch < 1) throw new Error(`training set has ${train.numChunks} chunks, fewer than one batch of ${cfg.batch}`);
  const stepsPerEpoch = cfg.stepsPerEpoch > 0 ? cfg.stepsPerEpoch : fullEpoch;
  let stream = train.epoch(cfg.batch, dataRng);
  const nextBatch = () => {
    let r = stream.next();
    if (r.done) {
      stream = train.epoch(cfg.batch, dataRng);
      r = stream.next();
    }
    return r.value!;
  };
  const history: EpochLog[] = [];
  let best = { ppl: Infinity, epoch: -1, params: new Map<string, Float32Array>() };
  let step = 0, trainSeconds = 0, trainTokens = 0;
  const total = cfg.epochs * stepsPerEpoch;
  try {
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const t0 = performance.now();
      let lossSum = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        step++;
        opt.lr = o.schedule === 'noam' ? warmupInvSqrtLr(step, o.lr, o.warmup) : plateau ? plateau.lr : o.lr;
        const b = nextBatch();
        const ts = performance.now();
        const x = tf.tensor2d(b.inputs, [b.batch, b.ctx], 'int32');
        const y = tf.tensor1d(b.targets, 'int32');
        let loss: number;
        try {
          const { value, grads } = fb.grads(() => crossEntropy(model.forward(x, { fb, granularity, dfaEmbed: cfg.dfaEmbed, errorAt: cfg.errorAt, rng: dropRng }), y), vars);
          loss = value.dataSync()[0]!;
          value.dispose();
          if (!Number.isFinite(loss)) {
            tf.dispose([...grads.values()]);
            throw new Error(`training diverged: loss is ${loss} (lower the learning rate or clip gradients)`);
          }
          if (o.clip > 0) clipByGlobalNorm(grads, o.clip);
          opt.apply(grads);
        } finally {
          x.dispose();
          y.dispose();
        }
        trainSeconds += (performance.now() - ts) / 1000;
        trainTokens += b.batch * b.ctx;
        lossSum += loss;
        onStep?.(step, total, loss);
      }
      const ppl = evaluatePerplexity(model, valid, cfg.batch, cfg.validChunks);
      const log: EpochLog = { epoch, steps: step, trainLoss: lossSum / stepsPerEpoch, validPpl: ppl, lr: opt.lr, seconds: (performance.now() - t0) / 1000 };
      if (plateau) plateau.step(ppl);
      if (ppl < best.ppl) {
        best = { ppl, epoch, params: new Map([...model.params].map(([k, v]) => [k, v.dataSync().slice() as Float32Array])) };
      }
      history.push(log);
      onEpoch?.(log);
    }
  } finally {
    fb.dispose();
    opt.dispose();
  }
  return { history, bestValidPpl: best.ppl, bestEpoch: best.epoch, best: best.params, tokensPerSecond: trainTokens / Math.max(1e-9, trainSeconds) };
}
