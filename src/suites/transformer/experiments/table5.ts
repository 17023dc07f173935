/**
 * `dfa reproduce table5`: the Table 5 grid (BP, DFA macro and micro under the paper's four
 * optimisation settings) plus the shallow baseline, on Tiny Shakespeare with a BPE tokenizer we
 * train on its training split, at a CPU budget; each run is the LmTask trained by the core loop.
 * Prints our best validation perplexities beside the paper's (WikiText-103) and checks the
 * paper's orderings.
 */
import { join } from 'node:path';
import type { Experiment, RunContext, RunOutcome, RunSpec } from '../../../command/experiment';
import { experimentCommand, type ExperimentOptions } from '../../../command/experiment_command';
import { UsageError, type OptionTable } from '../../../command/options';
import { meanStd, type ResultRow } from '../../../command/results';
import { checkpointOption, dataOption, epochsOption, seedsOption } from '../../../command/shared';
import { backendName } from '../../../engine/backend';
import { TrainingDivergedError, train, type EpochRecord } from '../../../train/trainer';
import { FileCheckpointStore } from '../../../train/checkpoint_fs';
import { CORPORA, loadCorpus, type CorpusKind } from '../data/corpora';
import { trainTokenizer, type TokenizerKind } from '../data/tokenizer';
import { LmDataset } from '../data/lm_dataset';
import { validateConfig, type GptConfig, type ErrorAt } from '../models/gpt';
import { saveRunTokenizer } from '../models/saved';
import { lmMethod, PAPER_BATCH, PAPER_EPOCHS, PAPER_GPT, PAPER_VOCAB, TABLE5 as TABLE5_CELLS, TABLE5_IDS, TABLE5_NOTES, type Table5Cell } from '../paper';
import { LmTask, type LmTaskConfig } from './lm_task';
import { orderingChecks } from './orderings';

const DESCRIPTION = `Table 5 (Transformer LM, best validation perplexity) at CPU scale: BP (baseline, + β2 = 0.999),
DFA macro and micro (baseline, + Adam, + β2 = 0.999, + LR schedule) and shallow, trained on Tiny
Shakespeare with a BPE tokenizer trained on its training split.
Default budget (CPU scale): d 64, 2 layers, 4 heads, ffn 256, context 32, batch 16, BPE 512,
20 epochs (evaluations, as the paper's 20) of 160 steps = 1,638,400 training tokens per run (~3.2
passes over the 513k-token training split), validation perplexity on 8,192 tokens; the 11 runs
took 19 min on one core (DFA_NUM_THREADS=1, 2-core machine shared with other jobs). Smaller
budgets favour the shallow baseline, which reaches ~100 within 200k tokens at this vocabulary and
then stalls near 90, while DFA is still improving: at 102k tokens shallow (99) beat both DFA
variants; at 819k (--steps 80) macro under the BP schedule was still worse than micro.
Learning rates: every rate of the paper (schedule peak 6.99e-4, Adam 5e-5, plateau start 1e-4) is
multiplied by one --lr-scale (default 20, since a run takes ~100x fewer steps than the paper's), so
the rows keep the paper's ratios (14 : 1 : 2); factor 0.2 / patience 1 and β's are the paper's.
--paper-size: 6 layers, 8 heads, d 512, ffn 2048, context 128, batch 64, BPE 32000, full passes.
Faster look: --cells bp-baseline,macro-plateau,micro-plateau,shallow-baseline.`;

const positiveInt = (help: string) => ({ type: 'int', min: 1, max: 1_000_000, help }) as const;

const OPTIONS = {
  corpus: { type: 'enum', choices: CORPORA, default: 'tinyshakespeare', help: 'wikitext needs --data with a full copy; text needs --data FILE' },
  data: { ...dataOption('a folder (tinyshakespeare: holding input.txt; wikitext: a full copy) or a .txt file (text)', 'in-any'), placeholder: 'PATH' },
  tokenizer: { type: 'enum', choices: ['bpe', 'char'], default: 'bpe', help: 'trained on the training split' },
  vocab: { type: 'int', min: 256, max: (1 << 20) - 1, help: 'BPE vocabulary size (default 512; the paper and --paper-size: 32000)' },
  'paper-size': { type: 'flag', help: "the paper's model, batch, vocabulary and full passes (6 layers, 8 heads, d 512, ffn 2048, context 128, batch 64)" },
  d: positiveInt('model dimension (default 64)'),
  layers: positiveInt('blocks (default 2)'),
  heads: positiveInt('attention heads (default 4)'),
  ffn: positiveInt('feed-forward width (default 4·d)'),
  ctx: positiveInt('context length (default 32)'),
  batch: positiveInt('chunks per batch (default 16)'),
  dropout: { type: 'number', min: 0, default: 0.1, help: 'dropout rate, below 1' },
  'pre-ln': { type: 'flag', help: 'layer norm before each sub-layer, plus a final one (default: post-LN, as the paper)' },
  epochs: epochsOption(PAPER_EPOCHS, "epochs, i.e. evaluations, as the paper's"),
  steps: { type: 'int', min: 0, max: 1_000_000, help: 'steps per epoch (default 160; 0 = a full pass over the training split)' },
  'valid-chunks': { type: 'int', min: 0, max: 1_000_000_000, help: 'chunks per evaluation (default 256; 0 = all)' },
  'lr-scale': { type: 'number', min: 0, above: true, help: 'multiplies every rate of the paper: the schedule peak 6.99e-4 and the constant 5e-5 / 1e-4 (default 20: our runs take ~100x fewer steps; 1 with --paper-size)' },
  warmup: { type: 'int', min: 1, max: 100_000_000, help: 'warm-up steps of the baseline schedule (default 10% of all steps; the paper 4000)' },
  clip: { type: 'number', min: 0, default: 0.5, help: 'global gradient-norm clip (0 = off)' },
  'error-at': { type: 'enum', choices: ['before', 'after'], default: 'before', help: 'DFA error before or after the vocabulary projection' },
  'dfa-embed': { type: 'flag', help: 'a DFA point on the embeddings (default: they learn by BP through the first block)' },
  cells: { type: 'list', of: 'enum', choices: TABLE5_IDS, help: 'a subset of the cells (default: all)' },
  seeds: seedsOption([0], 'seeds per cell: a count N (seeds 0..N-1) or a comma list'),
  save: { ...checkpointOption, help: "checkpoint each run after every epoch in DIR/<cell> (more seeds: DIR/<cell>-seed<S>) with its tokenizer; a rerun resumes; 'dfa generate DIR/<cell>' samples from it" },
} satisfies OptionTable;

type Options = ExperimentOptions<typeof OPTIONS>;

/** One Table 5 run: a cell of the grid at a seed, with every setting that shapes it. */
interface Table5Params {
  cell: string;
  seed: number;
  model: Omit<GptConfig, 'vocab'>;
  corpus: CorpusKind;
  data: string | null;
  tokenizer: TokenizerKind;
  vocab: number;
  batch: number;
  epochs: number;
  steps: number;
  validChunks: number;
  lrScale: number;
  warmup: number | null;
  clip: number;
  errorAt: ErrorAt;
  dfaEmbed: boolean;
  save: string | null;
}

/** One run's numbers, as the results JSON keeps them. */
interface RunSummary {
  bestValidPpl: number;
  bestEpoch: number;
  testPplAtBest: number;
  history: Array<{ epoch: number; steps: number; trainLoss: number; validPpl: number; testPpl?: number; lr: number; seconds: number }>;
  tokensPerSecond: number;
  /** the budget line (data, model, tokens per run) */
  budget: string;
  modelLabel: string;
  dataset: string;
  resumed: boolean;
  /** set when the run diverged (a result, not an error: the same seed diverges again) */
  diverged?: string;
}

function summarize(epochs: EpochRecord[], bestEpoch: number, bestVal: number, tokensPerStep: number) {
  const history = epochs.map((r) => ({ epoch: r.epoch, steps: r.step, trainLoss: r.trainLoss, validPpl: r.val?.metric ?? NaN, ...(r.test ? { testPpl: r.test.metric } : {}), lr: r.lr, seconds: r.seconds }));
  const msPerStep = epochs.reduce((a, r) => a + r.msPerStep, 0) / Math.max(1, epochs.length);
  return { bestValidPpl: bestVal, bestEpoch, history, tokensPerSecond: tokensPerStep / Math.max(1e-9, msPerStep / 1000) };
}

export const TABLE5: Experiment<Options, RunSummary> = {
  table: 'table5',
  plan(o) {
    const paper = o['paper-size'];
    const cells = o.cells ?? TABLE5_IDS;
    const steps = o.steps ?? (paper ? 0 : 160);
    const specs: RunSpec[] = [];
    for (const cell of cells) {
      o.seeds.forEach((seed, k) => {
        const params: Table5Params = {
          cell, seed, model: modelOf(o), corpus: o.corpus as CorpusKind, data: o.data ?? null, tokenizer: o.tokenizer as TokenizerKind,
          vocab: o.vocab ?? (paper ? PAPER_VOCAB : 512), batch: o.batch ?? (paper ? PAPER_BATCH : 16), epochs: o.epochs, steps,
          validChunks: o['valid-chunks'] ?? (paper ? 0 : 256), lrScale: o['lr-scale'] ?? (paper ? 1 : 20), warmup: o.warmup ?? null,
          clip: o.clip, errorAt: o['error-at'] as ErrorAt, dfaEmbed: o['dfa-embed'],
          save: o.save ? join(o.save, k === 0 ? cell : `${cell}-seed${seed}`) : null,
        };
        specs.push({ id: `${cell}/seed${seed}`, params: params as unknown as Record<string, unknown>, cost: o.epochs * (steps || 400) });
      });
    }
    return specs;
  },
  run: (spec, ctx) => runOne(spec.params as unknown as Table5Params, ctx),
  assemble(o, outcomes) {
    const cells: Table5Cell[] = (o.cells ?? TABLE5_IDS).map((id) => TABLE5_CELLS.find((c) => c.id === id)!);
    const any = [...outcomes.values()].find((x): x is { ok: true; result: RunSummary } => x.ok)?.result;
    const rows: ResultRow[] = cells.map((cell) => {
      const values: number[] = [];
      const notes: string[] = [];
      for (const seed of o.seeds) {
        const out = outcomes.get(`${cell.id}/seed${seed}`);
        if (!out) notes.push(`seed ${seed} not run yet`);
        else if (!out.ok) notes.push(`seed ${seed} failed: ${out.error}`);
        else if (out.result.diverged) {
          values.push(NaN);
          notes.push(`diverged (${out.result.diverged})`);
        } else values.push(out.result.bestValidPpl);
      }
      const ok = values.filter(Number.isFinite);
      const { mean, std } = meanStd(ok);
      return {
        table: 'table5', dataset: any?.dataset ?? String(o.corpus), model: any?.modelLabel ?? 'GPT',
        method: cell.method === 'bp' || cell.method === 'shallow' ? `${cell.method} ${cell.setting}` : `dfa-${cell.method} ${cell.setting}`,
        metric: 'best valid perplexity', mean, std, seeds: ok.length, paper: cell.paper, values,
        note: [...notes, TABLE5_NOTES[cell.id] ?? ''].filter(Boolean).join('; ') || undefined,
      };
    });
    const checks = orderingChecks(rows, cells);
    const failing = checks.filter((c) => c.includes('FAILS')).length;
    const budget = any?.budget ?? '';
    const scale = `paper: WikiText-103, BPE 32k, 6 layers/8 heads/d 512/ffn 2048, ctx 128 × batch 64, 20 epochs (~2 × 10^9 training tokens per run). ours (CPU scale): ${budget}.`;
    const verdict = checks.length ? (failing ? `${failing} of ${checks.length} orderings FAIL at this budget` : `all ${checks.length} orderings hold at this budget`) : '';
    const notes = [scale, ...(checks.length ? [`orderings (paper → ours): ${verdict}`, ...checks.map((c) => `  ${c.includes('FAILS') ? 'FAILS' : 'holds'}: ${c}`)] : [])];
    return { rows, notes, digits: 1, meta: { budget, backend: backendName(), checks } };
  },
};

export const TABLE5_COMMAND = experimentCommand(TABLE5, {
  name: 'reproduce table5',
  summary: 'Transformer LM perplexity: BP, DFA macro/micro under the Table 5 optimizer grid, shallow (Tiny Shakespeare, BPE)',
  description: DESCRIPTION,
  options: OPTIONS,
  validate(o) {
    if (o.corpus === 'text' && !o.data) throw new UsageError('dfa reproduce table5: --corpus text needs --data FILE');
    try {
      validateConfig({ ...modelOf(o), vocab: 1 });
    } catch (e) {
      throw new UsageError(`dfa reproduce table5: ${(e as Error).message}`);
    }
  },
});

function modelOf(o: Pick<Options, 'paper-size' | 'd' | 'layers' | 'heads' | 'ffn' | 'ctx' | 'dropout' | 'pre-ln'>): Omit<GptConfig, 'vocab'> {
  const paper = o['paper-size'];
  const d = o.d ?? (paper ? PAPER_GPT.d : 64);
  return {
    d,
    layers: o.layers ?? (paper ? PAPER_GPT.layers : 2),
    heads: o.heads ?? (paper ? PAPER_GPT.heads : 4),
    ffn: o.ffn ?? (paper ? PAPER_GPT.ffn : 4 * d),
    ctx: o.ctx ?? (paper ? PAPER_GPT.ctx : 32),
    dropout: o.dropout,
    preLN: o['pre-ln'],
  };
}

interface Prepared {
  tok: ReturnType<typeof trainTokenizer>;
  train: LmDataset;
  valid: LmDataset;
  test: LmDataset;
  label: string;
  trainTokens: number;
}

/** Corpus, tokenizer and datasets, shared by the runs of one process with the same data settings. */
const prepared = new Map<string, Prepared>();
function prepare(p: Table5Params): Prepared {
  const key = JSON.stringify([p.corpus, p.data, p.tokenizer, p.vocab, p.model.ctx]);
  let r = prepared.get(key);
  if (!r) {
    const corpus = loadCorpus(p.corpus, p.data ?? undefined);
    const tok = trainTokenizer(p.tokenizer, corpus.splits.train, p.vocab);
    const ids = tok.encode(corpus.splits.train);
    r = {
      tok, train: new LmDataset(ids, p.model.ctx), valid: new LmDataset(tok.encode(corpus.splits.valid), p.model.ctx),
      test: new LmDataset(tok.encode(corpus.splits.test), p.model.ctx), label: corpus.label, trainTokens: ids.length,
    };
    prepared.set(key, r);
  }
  return r;
}

async function runOne(p: Table5Params, ctx: RunContext): Promise<RunSummary> {
  const cell = TABLE5_CELLS.find((c) => c.id === p.cell);
  if (!cell) throw new Error(`table5: no cell '${p.cell}'`);
  const d = prepare(p);
  const cfg: GptConfig = { ...p.model, vocab: d.tok.vocabSize };
  const passSteps = Math.floor(d.train.numChunks / p.batch);
  if (passSteps < 1) throw new Error(`training set has ${d.train.numChunks} chunks, fewer than one batch of ${p.batch}`);
  const stepsPerEpoch = p.steps > 0 ? p.steps : passSteps;
  const totalSteps = p.epochs * stepsPerEpoch;
  const warmup = p.warmup ?? Math.max(1, Math.round(0.1 * totalSteps));
  const vTok = (p.validChunks > 0 ? Math.min(p.validChunks, d.valid.numChunks) : d.valid.numChunks) * cfg.ctx;
  const trainTokens = totalSteps * p.batch * cfg.ctx;
  const arch = `GPT d${cfg.d} L${cfg.layers} H${cfg.heads} ffn${cfg.ffn}`;
  const modelLabel = `${arch}, ${(trainTokens / 1e3).toFixed(0)}k tokens`;
  const budget = `${arch} ctx${cfg.ctx} ${cfg.preLN ? 'pre' : 'post'}-LN, ${d.tok.kind} vocab ${d.tok.vocabSize}, batch ${p.batch}, ${p.epochs} epochs × ${stepsPerEpoch} steps = ${trainTokens.toLocaleString('en-US')} training tokens per run, validation on ${vTok.toLocaleString('en-US')} tokens, lr scale ${p.lrScale}, warm-up ${warmup}, clip ${p.clip}, error ${p.errorAt} the projection${p.dfaEmbed ? ', DFA embeddings' : ''}`;
  const taskCfg: LmTaskConfig = {
    model: cfg, seed: p.seed, train: d.train, valid: d.valid, test: d.test, batch: p.batch, evalChunks: p.validChunks, granularity: lmMethod(cell.method).granularity,
    errorAt: p.errorAt, dfaEmbed: p.dfaEmbed, data: `${d.label}, ${d.tok.kind} ${d.tok.vocabSize}`,
  };
  const task = new LmTask(taskCfg);
  const optim = cell.optim({ lrScale: p.lrScale, warmup });
  const dir = p.save ?? ctx.checkpointDir ?? null;
  if (dir) saveRunTokenizer(dir, d.tok);
  let last = NaN;
  const base = { budget, modelLabel, dataset: d.label };
  try {
    const r = await train(task, {
      method: lmMethod(cell.method).method, seed: p.seed, epochs: p.epochs, ...optim, clipNorm: p.clip, stepsPerEpoch, keepBest: true, testWhen: 'best',
    }, {
      store: dir ? new FileCheckpointStore(dir) : undefined,
      onEpoch: (rec) => (last = rec.val?.metric ?? NaN),
      onStep: ({ step, loss }) => ctx.progress(step / totalSteps, { loss, 'valid ppl': last }),
    });
    const s = summarize(r.epochs, r.bestEpoch, r.bestVal, p.batch * cfg.ctx);
    ctx.log(`  ${cell.id} seed ${p.seed}: best valid ppl ${s.bestValidPpl.toFixed(2)} (epoch ${s.bestEpoch}), per epoch ${s.history.map((h) => h.validPpl.toFixed(1)).join(' ')}, ${s.tokensPerSecond.toFixed(0)} train tokens/s${r.resumed ? ` (resumed from ${dir})` : ''}`);
    return { ...s, ...base, testPplAtBest: r.testAtBest, resumed: r.resumed };
  } catch (e) {
    if (!(e instanceof TrainingDivergedError)) throw e;
    ctx.log(`  ${cell.id} seed ${p.seed}: ${e.message}`);
    return { ...base, bestValidPpl: NaN, bestEpoch: 0, testPplAtBest: NaN, history: [], tokensPerSecond: NaN, resumed: false, diverged: e.message };
  } finally {
    task.dispose();
  }
}
