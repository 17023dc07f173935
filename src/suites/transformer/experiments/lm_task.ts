/**
 * The Transformer language model as a TrainTask of the core loop (src/train/trainer.ts): batches
 * of token chunks from one endless shuffled stream (a pass over the training chunks runs on across
 * epochs of `stepsPerEpoch` steps), next-token cross-entropy through the GPT's feedback points,
 * perplexity on the validation chunks (lower is better) after every epoch and on the test chunks
 * at a new best, and the GPT's Feedback (gptFeedback: its widths and matrix stream).
 *
 * Streams of a run with seed s (so the numbers of every earlier Table 5 run are kept): the GPT's
 * weights from new Rng(s).fork('gpt-init'), the batches from new Rng(s).fork('batches'), dropout
 * from the Trainer's rng.fork('dropout'), the feedback matrices from rng.fork('feedback').
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import type { Feedback, Method, SignalOptions } from '../../../feedback';
import { perplexity, softmaxCrossEntropy } from '../../../metrics/losses';
import type { EvalResult, Metric, StepContext, TrainTask } from '../../../train/task';
import type { LmBatch, LmBatchStream, LmDataset, LmStreamState } from '../data/lm_dataset';
import { gptFeedback } from '../models/feedback';
import { GPT, type ErrorAt, type GptConfig, type Granularity } from '../models/gpt';

export interface LmTaskConfig {
  model: GptConfig;
  /** the GPT's initial weights and the batch stream */
  seed: number;
  train: LmDataset;
  valid: LmDataset;
  test: LmDataset;
  /** chunks per batch */
  batch: number;
  /** chunks evaluated per split (the first ones; 0 = all) */
  evalChunks: number;
  /** DFA's points: after every block (macro) or every sub-layer (micro) */
  granularity: Granularity;
  errorAt: ErrorAt;
  /** a feedback point on the embeddings (default: they learn by BP through block 0) */
  dfaEmbed: boolean;
  /** what the data is (corpus, tokenizer), recorded with the run's settings */
  data: string;
}

export const PERPLEXITY: Metric = { name: 'perplexity', higherIsBetter: false };

export class LmTask implements TrainTask<LmBatch> {
  readonly name = 'lm';
  readonly metric = PERPLEXITY;
  readonly model: GPT;
  private readonly stream: LmBatchStream;

  constructor(readonly cfg: LmTaskConfig) {
    this.model = new GPT(cfg.model, cfg.seed);
    this.stream = cfg.train.stream(cfg.batch, new Rng(cfg.seed).fork('batches'));
  }

  namedVariables(): Record<string, tf.Variable> {
    return Object.fromEntries(this.model.params);
  }

  /** The stream runs on across epochs (the Trainer takes stepsPerEpoch batches of it each epoch). */
  *batches(): Iterable<LmBatch> {
    for (;;) yield this.stream.next();
  }

  loss(b: LmBatch, fb: Feedback, ctx: StepContext): tf.Scalar {
    const x = tf.tensor2d(b.inputs, [b.batch, b.ctx], 'int32');
    const y = tf.tensor1d(b.targets, 'int32');
    const { granularity, dfaEmbed, errorAt } = this.cfg;
    fb.target(y); // drtp projects the next tokens (a no-op for the other methods); errorAt 'after' only (gptFeedback)
    return softmaxCrossEntropy(this.model.forward(x, { fb, granularity, dfaEmbed, errorAt, rng: ctx.rng }), y);
  }

  evaluate(split: 'val' | 'test'): EvalResult {
    const meanNll = evaluateNll(this.model, split === 'val' ? this.cfg.valid : this.cfg.test, this.cfg.batch, this.cfg.evalChunks);
    return { metric: perplexity(meanNll), loss: meanNll };
  }

  createFeedback(method: Method, rng: Rng, signal: SignalOptions = {}): Feedback {
    return gptFeedback(method, this.cfg.granularity, this.cfg.model, this.cfg.errorAt, rng.fork('feedback'), signal);
  }

  getState(): LmStreamState | null {
    return this.stream.getState();
  }

  setState(state: unknown): void {
    this.stream.setState(state as LmStreamState | null);
  }

  describe(): Record<string, unknown> {
    const c = this.cfg;
    return {
      model: c.model, data: c.data, trainTokens: c.train.numTokens, validTokens: c.valid.numTokens, testTokens: c.test.numTokens,
      batch: c.batch, evalChunks: c.evalChunks, granularity: c.granularity, errorAt: c.errorAt, dfaEmbed: c.dfaEmbed,
    };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Mean next-token NLL (nats) of `model` on the first `maxChunks` chunks of `data` (0 = all), no dropout. */
export function evaluateNll(model: GPT, data: LmDataset, batch: number, maxChunks = 0): number {
  let nll = 0, n = 0;
  for (const b of data.sequential(batch, maxChunks > 0 ? maxChunks : Infinity)) {
    nll += tf.tidy(() => {
      const x = tf.tensor2d(b.inputs, [b.batch, b.ctx], 'int32');
      const y = tf.tensor1d(b.targets, 'int32');
      return softmaxCrossEntropy(model.forward(x), y).dataSync()[0]!;
    }) * b.batch * b.ctx;
    n += b.batch * b.ctx;
  }
  return nll / n;
}
