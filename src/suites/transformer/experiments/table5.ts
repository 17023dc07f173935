/**
 * `dfa reproduce table5`: the Table 5 grid (BP, DFA macro and micro under the paper's four
 * optimisation settings) plus the shallow baseline, on Tiny Shakespeare with a BPE tokenizer we
 * train on its training split, at a CPU budget; each run is the LmTask trained by the core loop.
 * Prints our best validation perplexities beside the paper's (WikiText-103) and checks the
 * paper's orderings.
 */
import { dirname, join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { defineCommand } from '../../../command/command';
import { UsageError, type OptionTable, type OptionValues } from '../../../command/options';
import { Progress, fmtTime } from '../../../command/progress';
import { formatMarkdown, formatTable, meanStd, writeResults, type ResultRow } from '../../../command/results';
import { checkpointOption, dataOption, epochsOption, RESULT_FILES, seedsOption } from '../../../command/shared';
import { initBackend, backendName } from '../../../engine/backend';
import { TrainingDivergedError, train, type EpochRecord } from '../../../train/trainer';
import { FileCheckpointStore } from '../../../train/checkpoint_fs';
import { CORPORA, loadCorpus, type CorpusKind } from '../data/corpora';
import { trainTokenizer, type TokenizerKind } from '../data/tokenizer';
import { LmDataset } from '../data/lm_dataset';
import { validateConfig, type GptConfig, type ErrorAt } from '../models/gpt';
import { saveRunTokenizer } from '../models/saved';
import { lmMethod, PAPER_BATCH, PAPER_EPOCHS, PAPER_GPT, PAPER_VOCAB, TABLE5, TABLE5_IDS, TABLE5_NOTES, type Table5Cell } from '../paper';
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
  ...RESULT_FILES,
  save: { ...checkpointOption, help: "checkpoint each run after every epoch in DIR/<cell> (more seeds: DIR/<cell>-seed<S>) with its tokenizer; a rerun resumes; 'dfa generate DIR/<cell>' samples from it" },
} satisfies OptionTable;

type Options = OptionValues<typeof OPTIONS>;

export const TABLE5_COMMAND = defineCommand({
  name: 'reproduce table5',
  summary: 'Transformer LM perplexity: BP, DFA macro/micro under the Table 5 optimizer grid, shallow (Tiny Shakespeare, BPE)',
  description: DESCRIPTION,
  options: OPTIONS,
  validate({ options: o }) {
    if (o.corpus === 'text' && !o.data) throw new UsageError('dfa reproduce table5: --corpus text needs --data FILE');
    try {
      validateConfig({ ...modelOf(o), vocab: 1 });
    } catch (e) {
      throw new UsageError(`dfa reproduce table5: ${(e as Error).message}`);
    }
  },
  run: ({ options }) => runTable5(options),
});

function modelOf(o: Options): Omit<GptConfig, 'vocab'> {
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

/** One run's numbers, as the results JSON keeps them. */
interface RunSummary {
  bestValidPpl: number;
  bestEpoch: number;
  history: Array<{ epoch: number; steps: number; trainLoss: number; validPpl: number; testPpl?: number; lr: number; seconds: number }>;
  tokensPerSecond: number;
}

function summarize(epochs: EpochRecord[], bestEpoch: number, bestVal: number, tokensPerStep: number): RunSummary {
  const history = epochs.map((r) => ({ epoch: r.epoch, steps: r.step, trainLoss: r.trainLoss, validPpl: r.val?.metric ?? NaN, ...(r.test ? { testPpl: r.test.metric } : {}), lr: r.lr, seconds: r.seconds }));
  const msPerStep = epochs.reduce((a, r) => a + r.msPerStep, 0) / Math.max(1, epochs.length);
  return { bestValidPpl: bestVal, bestEpoch, history, tokensPerSecond: tokensPerStep / Math.max(1e-9, msPerStep / 1000) };
}

async function runTable5(o: Options): Promise<number> {
  const paper = o['paper-size'];
  const model = modelOf(o);
  const vocab = o.vocab ?? (paper ? PAPER_VOCAB : 512);
  const batch = o.batch ?? (paper ? PAPER_BATCH : 16);
  const steps = o.steps ?? (paper ? 0 : 160);
  const validChunks = o['valid-chunks'] ?? (paper ? 0 : 256);
  const lrScale = o['lr-scale'] ?? (paper ? 1 : 20);
  const errorAt = o['error-at'] as ErrorAt;
  const cells: Table5Cell[] = (o.cells ?? TABLE5_IDS).map((id) => TABLE5.find((c) => c.id === id)!);

  const backend = await initBackend();
  const t0 = performance.now();
  const corpus = loadCorpus(o.corpus as CorpusKind, o.data);
  const tok = trainTokenizer(o.tokenizer as TokenizerKind, corpus.splits.train, vocab);
  const trainIds = tok.encode(corpus.splits.train);
  const trainSet = new LmDataset(trainIds, model.ctx);
  const validSet = new LmDataset(tok.encode(corpus.splits.valid), model.ctx);
  const testSet = new LmDataset(tok.encode(corpus.splits.test), model.ctx);
  const cfg: GptConfig = { ...model, vocab: tok.vocabSize };
  const taskCfg = (seed: number, cell: Table5Cell): LmTaskConfig => ({
    model: cfg, seed, train: trainSet, valid: validSet, test: testSet, batch, evalChunks: validChunks, granularity: lmMethod(cell.method).granularity,
    errorAt, dfaEmbed: o['dfa-embed'], data: `${corpus.label}, ${tok.kind} ${tok.vocabSize}`,
  });
  const passSteps = Math.floor(trainSet.numChunks / batch);
  if (passSteps < 1) throw new Error(`training set has ${trainSet.numChunks} chunks, fewer than one batch of ${batch}`);
  const stepsPerEpoch = steps > 0 ? steps : passSteps;
  const totalSteps = o.epochs * stepsPerEpoch;
  const warmup = o.warmup ?? Math.max(1, Math.round(0.1 * totalSteps));
  const vTok = (validChunks > 0 ? Math.min(validChunks, validSet.numChunks) : validSet.numChunks) * model.ctx;
  const trainTokens = totalSteps * batch * cfg.ctx;
  // the budget beside every number: model size and training tokens per run
  const arch = `GPT d${cfg.d} L${cfg.layers} H${cfg.heads} ffn${cfg.ffn}`;
  const modelLabel = `${arch}, ${(trainTokens / 1e3).toFixed(0)}k tokens`;
  const budget = `${arch} ctx${cfg.ctx} ${cfg.preLN ? 'pre' : 'post'}-LN, ${tok.kind} vocab ${tok.vocabSize}, batch ${batch}, ${o.epochs} epochs × ${stepsPerEpoch} steps = ${trainTokens.toLocaleString('en-US')} training tokens per run, validation on ${vTok.toLocaleString('en-US')} tokens, lr scale ${lrScale}, warm-up ${warmup}, clip ${o.clip}, error ${errorAt} the projection${o['dfa-embed'] ? ', DFA embeddings' : ''}`;
  console.log(`Table 5 at CPU scale on ${corpus.label} (${trainIds.length.toLocaleString('en-US')} training tokens; tokenizer trained in ${fmtTime((performance.now() - t0) / 1000)}), backend ${backendName()}${backend.native ? '' : ' (not native)'}`);
  console.log(`budget: ${budget}\n`);

  const rows: ResultRow[] = [];
  const runs: Record<string, unknown> = {};
  const meta = () => ({ table: 'table5', budget, backend: backendName(), runs, seconds: (performance.now() - t0) / 1000 });
  for (const cell of cells) {
    const values: number[] = [];
    let note = '';
    for (const [k, seed] of o.seeds.entries()) {
      const task = new LmTask(taskCfg(seed, cell));
      const optim = cell.optim({ lrScale, warmup });
      const dir = o.save ? join(o.save, k === 0 ? cell.id : `${cell.id}-seed${seed}`) : null;
      if (dir) saveRunTokenizer(dir, tok);
      const prog = new Progress(totalSteps, `${cell.id.padEnd(16)} seed ${seed}`);
      let last = NaN;
      try {
        const r = await train(task, {
          method: lmMethod(cell.method).method, seed, epochs: o.epochs, ...optim, clipNorm: o.clip, stepsPerEpoch, keepBest: true, testWhen: 'best',
        }, {
          store: dir ? new FileCheckpointStore(dir) : undefined,
          onEpoch: (rec) => (last = rec.val?.metric ?? NaN),
          onStep: ({ step, loss }) => prog.update(step, { loss, 'valid ppl': last }),
        });
        const s = summarize(r.epochs, r.bestEpoch, r.bestVal, batch * cfg.ctx);
        values.push(s.bestValidPpl);
        runs[`${cell.id}/seed${seed}`] = { ...s, testPplAtBest: r.testAtBest, optim: { ...optim, clip: o.clip } };
        console.log(`  ${cell.id} seed ${seed}: best valid ppl ${s.bestValidPpl.toFixed(2)} (epoch ${s.bestEpoch}), per epoch ${s.history.map((h) => h.validPpl.toFixed(1)).join(' ')}, ${s.tokensPerSecond.toFixed(0)} train tokens/s${r.resumed ? ` (resumed from ${dir})` : ''}`);
      } catch (e) {
        if (!(e instanceof TrainingDivergedError)) throw e;
        note = `diverged (${e.message})`;
        values.push(NaN);
        console.log(`  ${cell.id} seed ${seed}: ${e.message}`);
      } finally {
        task.dispose();
      }
    }
    const ok = values.filter(Number.isFinite);
    const { mean, std } = meanStd(ok);
    rows.push({
      table: 'table5', dataset: corpus.label, model: modelLabel,
      method: cell.method === 'bp' || cell.method === 'shallow' ? `${cell.method} ${cell.setting}` : `dfa-${cell.method} ${cell.setting}`,
      metric: 'best valid perplexity', mean, std, seeds: ok.length, paper: cell.paper, values,
      note: [note, TABLE5_NOTES[cell.id] ?? ''].filter(Boolean).join('; ') || undefined,
    });
    writeResults(rows, { json: o.json, meta: meta() }); // rows written as cells finish
  }
  const checks = orderingChecks(rows, cells);
  const failing = checks.filter((c) => c.includes('FAILS')).length;
  const scale = `paper: WikiText-103, BPE 32k, 6 layers/8 heads/d 512/ffn 2048, ctx 128 × batch 64, 20 epochs (~2 × 10^9 training tokens per run). ours (CPU scale): ${budget}.`;
  const verdict = checks.length ? (failing ? `${failing} of ${checks.length} orderings FAIL at this budget` : `all ${checks.length} orderings hold at this budget`) : '';
  console.log('\n' + formatTable(rows, 1));
  console.log(`\n${scale}`);
  if (checks.length) console.log(`\norderings (paper → ours): ${verdict}\n` + checks.map((c) => `  ${c}`).join('\n'));
  writeResults(rows, { json: o.json, meta: { ...meta(), checks } });
  if (o.md) {
    mkdirSync(dirname(o.md), { recursive: true });
    const lines = checks.map((c) => `- ${c.includes('FAILS') ? '**FAILS**' : 'holds'}: ${c}`);
    writeFileSync(o.md, `${formatMarkdown(rows, 1)}\n${scale}\n${checks.length ? `\nOrderings of the paper (${verdict}):\n\n${lines.join('\n')}\n` : ''}`);
  }
  console.log(`\ntotal ${fmtTime((performance.now() - t0) / 1000)}`);
  return 0;
}
