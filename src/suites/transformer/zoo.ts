/**
 * The transformer wing's model for applications that compare methods across wings (`dfa reproduce
 * zoo`, src/zoo): a small GPT language model on Tiny Shakespeare (character tokens) as a
 * TrainTask at a short budget, DFA's points after every block (macro) and the error taken at the
 * logits (errorAt 'after', so drtp has its target: the next token), no dropout, Adam with one
 * constant rate for every method, and an alignment loss on the first training chunks.
 */
import * as tf from '@tensorflow/tfjs';
import type { Feedback, Method } from '../../feedback';
import { softmaxCrossEntropy } from '../../metrics/losses';
import type { TrainConfig } from '../../train/trainer';
import { loadCorpus } from './data/corpora';
import { LmDataset, type LmBatch } from './data/lm_dataset';
import { trainTokenizer } from './data/tokenizer';
import { LmTask, type LmTaskConfig } from './experiments/lm_task';
import type { GptConfig } from './models/gpt';

export interface SmallLmBudget {
  d: number;
  layers: number;
  heads: number;
  ctx: number;
  batch: number;
  /** training steps */
  steps: number;
  /** chunks scored for validation and test perplexity */
  evalChunks: number;
  lr: number;
}

/** The LM task that also measures alignment, on the first training chunks (no dropout: deterministic). */
class AlignedLmTask extends LmTask {
  private readonly alignBatch: LmBatch;

  constructor(cfg: LmTaskConfig) {
    super(cfg);
    this.alignBatch = cfg.train.gather(Array.from({ length: Math.min(cfg.batch, cfg.train.numChunks) }, (_, i) => i));
  }

  alignmentLoss(fb: Feedback): tf.Scalar {
    const b = this.alignBatch;
    const x = tf.tensor2d(b.inputs, [b.batch, b.ctx], 'int32');
    const y = tf.tensor1d(b.targets, 'int32');
    fb.target(y);
    return softmaxCrossEntropy(this.model.forward(x, { fb, granularity: 'macro', errorAt: 'after' }), y);
  }
}

interface Prepared {
  train: LmDataset;
  valid: LmDataset;
  test: LmDataset;
  vocab: number;
}

const prepared = new Map<string, Prepared>();

function prepare(ctx: number, data: string | null): Prepared {
  const key = `${data ?? ''}|${ctx}`;
  let p = prepared.get(key);
  if (!p) {
    const corpus = loadCorpus('tinyshakespeare', data ?? undefined);
    const tok = trainTokenizer('char', corpus.splits.train);
    p = {
      train: new LmDataset(tok.encode(corpus.splits.train), ctx), valid: new LmDataset(tok.encode(corpus.splits.valid), ctx),
      test: new LmDataset(tok.encode(corpus.splits.test), ctx), vocab: tok.vocabSize,
    };
    prepared.set(key, p);
  }
  return p;
}

export interface SmallLmSetup {
  task: LmTask;
  config: Omit<TrainConfig, 'method' | 'seed' | 'feedback'>;
  describe: string;
}

/** The small LM (`data`: a folder holding input.txt, default the shared Tiny Shakespeare), `budget.steps` steps in one epoch. */
export function smallLm(seed: number, budget: SmallLmBudget, data: string | null = null): SmallLmSetup {
  const p = prepare(budget.ctx, data);
  const model: GptConfig = { vocab: p.vocab, ctx: budget.ctx, d: budget.d, layers: budget.layers, heads: budget.heads, ffn: 4 * budget.d, dropout: 0, preLN: false };
  const task = new AlignedLmTask({
    model, seed, train: p.train, valid: p.valid, test: p.test, batch: budget.batch, evalChunks: budget.evalChunks,
    granularity: 'macro', errorAt: 'after', dfaEmbed: false, data: `tinyshakespeare, char ${p.vocab}`,
  });
  return {
    task,
    config: { epochs: 1, stepsPerEpoch: budget.steps, optimizer: { name: 'adam', lr: budget.lr }, clipNorm: 1 },
    describe: `GPT d${budget.d} L${budget.layers} H${budget.heads} ctx ${budget.ctx} on Tiny Shakespeare (char ${p.vocab}), ${budget.steps} steps × ${budget.batch} chunks, Adam lr ${budget.lr}, clip 1, error at the logits, perplexity on ${budget.evalChunks} chunks`,
  };
}
