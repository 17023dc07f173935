/**
 * `dfa reproduce recsys-synth`: the recommender comparison on a large synthetic Criteo-shaped set
 * (default 2M rows of the known-model generator), where the 9,999-row sample cannot settle it, as
 * an Experiment: one run per cell (model/method) × seed, plus the generator's own click
 * probabilities on the test split (`--oracle`, a run of its own). The issue's claims are checked
 * per model (DFA within 0.005 test AUC of BP, shallow below both); the alignment of every feedback
 * point (Table A.1) is drawn as a figure, and with --align-every its trajectory during training.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Experiment, RunContext, RunOutcome, RunSpec } from '../../../command/experiment';
import { experimentCommand, type ExperimentOptions } from '../../../command/experiment_command';
import { UsageError, type EnumOption, type IntOption, type ListOption } from '../../../command/options';
import { meanStd, type ResultRow } from '../../../command/results';
import { checkpointOption, epochsOption, outOption, seedsOption } from '../../../command/shared';
import { METHODS, parseMethod, type Method } from '../../../feedback';
import { lineChart } from '../../../viz/line_chart';
import { syntheticOracle, type OracleResult } from '../data';
import { RECSYS } from '../manifest';
import { MODEL_TITLES, type RecsysModelName } from '../models';
import { hasAlignment } from '../models/placement';
import { hyperparams, paperValue, PAPER_SETUP, PAPER_TABLEA1 } from '../paper';
import { BUDGET_OPTIONS, DATA_OPTIONS, MAX_BATCH, MAX_ROWS, modelOption } from '../commands/options';
import { writeAlignmentFigure, type AlignmentPanel } from './alignment_figure';
import { cellRuns } from './cell_runs';
import { useCacheDir, type DataRef } from '../data/ref';
import { runCost, runFromParams, type RecsysRunParams, type RecsysRunSummary } from './run_params';

export const DEFAULT_SYNTH_CELLS = ['deepfm/bp', 'deepfm/dfa', 'deepfm/shallow', 'afn/bp', 'afn/dfa', 'afn/shallow', 'dcn/dfa'];
const NAME = 'dfa reproduce recsys-synth';

const OPTIONS = {
  rows: { type: 'int', min: 100, max: MAX_ROWS, default: 2_000_000, help: 'synthetic rows' } satisfies IntOption,
  seed: { type: 'int', min: 0, default: 0, help: 'generator seed' } satisfies IntOption,
  cells: { type: 'list', of: 'string', default: DEFAULT_SYNTH_CELLS, help: `model/method cells (methods: ${METHODS.join(', ')})` } satisfies ListOption,
  methods: { type: 'list', of: 'enum', choices: METHODS, help: 'run these methods on every model of --cells instead of the cells\' own methods' } satisfies ListOption,
  epochs: epochsOption(1),
  'batch-size': { type: 'list', of: 'string', placeholder: 'N|MODEL=N,…', help: "training batch size, or one per model (default the paper's: 2048, Deep&Cross 512)" } satisfies ListOption,
  seeds: seedsOption([0]),
  'first-seed': { type: 'int', min: 0, default: 0, help: 'added to every seed: --seeds 4 --first-seed 1 runs seeds 1-4' } satisfies IntOption,
  patience: BUDGET_OPTIONS.patience,
  'max-train-rows': { type: 'list', of: 'string', placeholder: 'N|MODEL=N,…', help: 'train rows per epoch, or per model (default all of the train split)' } satisfies ListOption,
  'max-eval-rows': { type: 'list', of: 'string', placeholder: 'N|MODEL=N,…', help: 'validation and test rows each, or per model (default all)' } satisfies ListOption,
  lr: { type: 'list', of: 'string', placeholder: 'CELL=X,…', help: 'learning rate per cell (default appendix C), e.g. deepfm/dfa=3e-4' } satisfies ListOption,
  dropout: { type: 'list', of: 'string', placeholder: 'CELL=X,…', help: 'dropout per cell (default appendix C), e.g. deepfm/bp=0.2' } satisfies ListOption,
  'afn-embeddings': {
    type: 'enum', choices: ['lnn', 'frozen'], default: 'lnn',
    help: "frozen: AFN's embeddings do not learn under the direct methods (dfa, drtp), as in the paper's code (lnn: they learn from the logarithmic layer's signal)",
  } satisfies EnumOption,
  'deepfm-embeddings': {
    type: 'enum', choices: ['all', 'fm', 'dfa'], default: 'all',
    help: "fm: BP's DeepFM embeddings learn through the FM part only, as under DFA (a diagnostic); dfa: under the direct methods DeepFM's embeddings also learn from a feedback point on the MLP's input (a variant)",
  } satisfies EnumOption,
  'align-every': { type: 'int', min: 1, help: 'cells with an alignment (not bp, shallow): also measure it every N steps (a trajectory in the JSON and in <out>/alignment-trajectory-<model>.svg)' } satisfies IntOption,
  oracle: { type: 'flag', help: "also score the generator's true click probabilities on the test split (the ceiling for every model; regenerates the rows, ~2 min per million)" },
  checkpoint: { ...checkpointOption, help: 'save every run after each epoch in DIR/recsys-synth/<model>_<method>_seed<k>/ and resume it from there when the run is retried (same settings only; --epochs may grow)' },
  cache: DATA_OPTIONS.cache,
  out: outOption('out/recsys-synth', 'folder of the alignment figures'),
} as const;

type SynthOptions = ExperimentOptions<typeof OPTIONS>;

interface Cell { model: RecsysModelName; method: Method }

function parseCell(s: string, option: string): Cell {
  const [m, meth] = s.split('/');
  if (!m || !meth || !(METHODS as readonly string[]).includes(meth)) throw new UsageError(`${NAME}: --${option}: '${s}' is not MODEL/METHOD (methods: ${METHODS.join(', ')})`);
  return { model: modelOption(NAME, option, m), method: parseMethod(meth) };
}

/** 'N' (every model) or 'deepfm=N,afn=M' → a count per model (undefined: the default), each in [1, max]. */
function perModel(list: string[] | undefined, option: string, max: number): (m: RecsysModelName) => number | undefined {
  const ok = (n: number) => Number.isInteger(n) && n >= 1 && n <= max;
  if (list?.length === 1 && !list[0]!.includes('=')) {
    const n = Number(list[0]);
    if (!ok(n)) throw new UsageError(`${NAME}: --${option}: '${list[0]}' is not a whole number from 1 to ${max}`);
    return () => n;
  }
  const map = new Map<RecsysModelName, number>();
  for (const kv of list ?? []) {
    const [k, v] = kv.split('=');
    const n = Number(v);
    if (!k || !ok(n)) throw new UsageError(`${NAME}: --${option}: expected MODEL=N with N from 1 to ${max}, got '${kv}'`);
    map.set(modelOption(NAME, option, k), n);
  }
  return (m) => map.get(m);
}

/** 'deepfm/bp=3e-3,…' → value per cell key. */
function perCell(list: string[] | undefined, option: string, ok: (x: number) => boolean): Map<string, number> {
  const m = new Map<string, number>();
  for (const kv of list ?? []) {
    const [k, v] = kv.split('=');
    const x = Number(v);
    if (!k || v === undefined || v.trim() === '' || !ok(x)) throw new UsageError(`${NAME}: --${option}: expected MODEL/METHOD=X, got '${kv}'`);
    const c = parseCell(k, option);
    m.set(`${c.model}/${c.method}`, x);
  }
  return m;
}

/** The cells, per-model and per-cell values, checked (usage errors name the option). */
function parsePlan(o: SynthOptions) {
  let cells = o.cells.map((c) => parseCell(c, 'cells'));
  if (o.methods) cells = [...new Set(cells.map((c) => c.model))].flatMap((model) => (o.methods as Method[]).map((method) => ({ model, method })));
  const keys = cells.map((c) => `${c.model}/${c.method}`);
  const twice = keys.find((k, i) => keys.indexOf(k) !== i);
  if (twice) throw new UsageError(`${NAME}: --cells: '${twice}' is listed twice`);
  return {
    cells,
    batchOf: perModel(o['batch-size'], 'batch-size', MAX_BATCH),
    maxTrain: perModel(o['max-train-rows'], 'max-train-rows', MAX_ROWS),
    maxEval: perModel(o['max-eval-rows'], 'max-eval-rows', MAX_ROWS),
    lrOver: perCell(o.lr, 'lr', (x) => x > 0 && Number.isFinite(x)),
    dropoutOver: perCell(o.dropout, 'dropout', (x) => x >= 0 && x < 1),
  };
}

const runId = (c: Cell, seed: number) => `${c.model}/${c.method}/seed${seed}`;
const seedsOf = (o: SynthOptions) => o.seeds.map((s) => s + o['first-seed']);
const datasetOf = (o: SynthOptions) => `synthetic-${o.rows} (seed ${o.seed})`;

/** The generator's true click probabilities on the test split: the ceiling (a run of its own). */
interface OracleParams { oracle: { rows: number; seed: number } }
type SynthResult = RecsysRunSummary | { oracle: OracleResult };

function cellSettings(o: SynthOptions, p: ReturnType<typeof parsePlan>, c: Cell) {
  const key = `${c.model}/${c.method}`;
  const hp = hyperparams(c.model, c.method);
  const dfm = o['deepfm-embeddings'], afn = o['afn-embeddings'] as 'lnn' | 'frozen';
  const modelOpts = c.model === 'deepfm' ? { mlpGradToEmbeddings: dfm !== 'fm', embeddingPoint: dfm === 'dfa' } : c.model === 'afn' ? { dfaEmbeddings: afn } : undefined;
  const variant = (c.model === 'deepfm' && dfm === 'fm' && c.method === 'bp' ? ', embeddings through FM only (diagnostic)' : '') +
    (c.model === 'deepfm' && dfm === 'dfa' ? ', embeddings also get a feedback point under the direct methods (not the paper\'s placement)' : '') +
    (c.model === 'afn' && afn === 'frozen' ? ', embeddings frozen under the direct methods (the paper\'s code)' : '');
  return {
    lr: p.lrOver.get(key) ?? hp.lr, dropout: p.dropoutOver.get(key) ?? hp.dropout, from: hp.from, modelOpts, variant,
    batchSize: p.batchOf(c.model) ?? PAPER_SETUP.batchSize[c.model], maxTrainRows: p.maxTrain(c.model) ?? null, maxEvalRows: p.maxEval(c.model) ?? null,
  };
}

function budgetOf(o: SynthOptions, s: ReturnType<typeof cellSettings>): string {
  return `${o.epochs} epoch${o.epochs > 1 ? 's' : ''} of ${s.maxTrainRows ? `${s.maxTrainRows} train rows` : 'the train split'}, batch ${s.batchSize}` +
    (s.maxEvalRows ? `, ≤${s.maxEvalRows} val/test rows` : '') + s.variant;
}

export const RECSYS_SYNTH_EXPERIMENT: Experiment<SynthOptions, SynthResult> = {
  table: 'recsys-synth',
  plan(o) {
    const p = parsePlan(o);
    const data: DataRef = { kind: 'synthetic', rows: o.rows, seed: o.seed };
    const specs: RunSpec[] = [];
    for (const c of p.cells) {
      const s = cellSettings(o, p, c);
      for (const seed of seedsOf(o)) {
        const params: RecsysRunParams = {
          model: c.model, method: c.method, seed, lr: s.lr, dropout: s.dropout, epochs: o.epochs, batchSize: s.batchSize, maxTrainRows: s.maxTrainRows, maxEvalRows: s.maxEvalRows,
          patience: o.patience ?? null, splitSeed: 0, data, ...(s.modelOpts ? { modelOpts: s.modelOpts } : {}), alignEvery: o['align-every'] ?? null,
        };
        specs.push({ id: runId(c, seed), params: params as unknown as Record<string, unknown>, cost: runCost(params) });
      }
    }
    if (o.oracle) specs.push({ id: 'oracle', params: { oracle: { rows: o.rows, seed: o.seed } } satisfies OracleParams, cost: o.rows / 2e5 });
    return specs;
  },
  run(spec, ctx) {
    const oracle = (spec.params as Partial<OracleParams>).oracle;
    return oracle ? runOracle(oracle, ctx) : runFromParams(spec.params as unknown as RecsysRunParams, ctx);
  },
  assemble(o, outcomes) {
    const p = parsePlan(o);
    const dataset = datasetOf(o);
    const runsOf = (c: Cell) => cellRuns(outcomes as Map<string, RunOutcome<RecsysRunSummary>>, seedsOf(o), (s) => runId(c, s));
    // the diagnostic BP variant is labelled as such wherever BP is printed
    const bpLabel = (m: RecsysModelName) => (m === 'deepfm' && o['deepfm-embeddings'] === 'fm' ? 'BP, embeddings via FM' : 'bp');
    const aucOf = (model: RecsysModelName, method: Method) => {
      const rs = p.cells.some((c) => c.model === model && c.method === method) ? runsOf({ model, method }).results : [];
      return rs.length ? meanStd(rs.map((r) => r.test.auc)).mean : null;
    };
    const checks: string[] = [];
    for (const model of [...new Set(p.cells.map((c) => c.model))]) {
      const bp = aucOf(model, 'bp'), dfa = aucOf(model, 'dfa'), sh = aucOf(model, 'shallow');
      if (bp !== null && dfa !== null) checks.push(`${MODEL_TITLES[model]}: AUC(DFA) − AUC(${bpLabel(model) === 'bp' ? 'BP' : bpLabel(model)}) = ${(dfa - bp >= 0 ? '+' : '') + (dfa - bp).toFixed(4)} → ${Math.abs(dfa - bp) <= 0.005 ? 'within' : 'NOT within'} 0.005`);
      if (sh !== null && bp !== null && dfa !== null) checks.push(`${MODEL_TITLES[model]}: shallow ${sh.toFixed(4)} ${sh < bp && sh < dfa ? 'below both' : 'NOT below both'} (BP ${bp.toFixed(4)}, DFA ${dfa.toFixed(4)})`);
    }
    const rows: ResultRow[] = [];
    let any: RecsysRunSummary | undefined;
    for (const c of p.cells) {
      const { results: rs, notes } = runsOf(c);
      any ??= rs[0];
      const s = cellSettings(o, p, c);
      const paper = paperValue(c.model, c.method);
      const base = { table: c.method === 'shallow' ? 'tableA3' : 'table2', dataset, model: MODEL_TITLES[c.model], method: c.method === 'bp' ? bpLabel(c.model) : c.method, seeds: rs.length };
      const note = [`lr ${s.lr}, dropout ${s.dropout}${s.from !== c.method ? ` (appendix C's ${s.from.toUpperCase()} setting)` : ''}; ${budgetOf(o, s)}; ${Math.round(meanStd(rs.map((r) => r.samplesPerSec)).mean)} samples/s; paper's values: real Criteo, 45M rows (not comparable in absolute terms)`, ...notes].join('; ');
      rows.push({ ...base, metric: 'AUC', ...meanStd(rs.map((r) => r.test.auc)), paper: paper?.auc ?? null, values: rs.map((r) => r.test.auc), note });
      rows.push({ ...base, metric: 'log loss', ...meanStd(rs.map((r) => r.test.logLoss)), paper: paper?.loss ?? null, values: rs.map((r) => r.test.logLoss) });
      if (!hasAlignment(c.method)) continue;
      for (const a of rs[0]?.alignment ?? []) {
        const vals = rs.map((r) => r.alignment?.find((x) => x.name === a.name)?.mean ?? NaN);
        const paperA = c.method === 'dfa' && ((c.model === 'dcn' && a.name === 'cross1.xw') || (c.model === 'afn' && a.name === 'lnn')) ? PAPER_TABLEA1[c.model]!.mean : null;
        rows.push({
          table: 'tableA1', dataset, model: MODEL_TITLES[c.model], method: c.method, metric: `alignment @${a.name}`, ...meanStd(vals), seeds: rs.length,
          paper: paperA, values: vals, note: `@${a.name}: per-sample std ${a.std.toFixed(2)} over ${a.n} validation rows (seed ${seedsOf(o)[0]})`,
        });
      }
    }
    const oracle = outcomes.get('oracle');
    if (o.oracle && oracle?.ok) {
      const or = (oracle.result as { oracle: OracleResult }).oracle;
      const base = { table: 'oracle', dataset, model: 'generator', method: 'true p', seeds: 1, paper: null };
      rows.push({ ...base, metric: 'AUC', mean: or.auc, std: 0, values: [or.auc], note: `the generator's own click probabilities on the ${or.n} test rows: no model can beat this AUC` });
      rows.push({ ...base, metric: 'log loss', mean: or.logLoss, std: 0, values: [or.logLoss] });
    }
    const trajectories = Object.fromEntries(p.cells.flatMap((c) => {
      const t = runsOf(c).results[0]?.alignmentTrajectory;
      return t?.length ? [[`${c.model}/${c.method}`, t]] : [];
    }));
    return {
      rows, digits: 4, notes: [`checks (${dataset}):`, ...checks.map((c) => `  ${c}`)],
      meta: { data: any?.data.source ?? null, rows: any?.data.rows ?? null, positives: any?.data.positives ?? null, epochs: o.epochs, checks, alignmentTrajectories: trajectories },
    };
  },
  async finish(o, outcomes) {
    const p = parsePlan(o);
    const first = (c: Cell) => cellRuns(outcomes as Map<string, RunOutcome<RecsysRunSummary>>, seedsOf(o), (s) => runId(c, s)).results[0];
    const panels: AlignmentPanel[] = p.cells.flatMap((c) => {
      const a = first(c)?.alignment;
      return a?.length ? [{ title: `${MODEL_TITLES[c.model]} (${c.method.toUpperCase()}): alignment to the BP gradient per layer`, stats: a }] : [];
    });
    if (panels.length) console.log(`wrote ${writeAlignmentFigure(join(o.out, 'alignment'), panels).join(', ')}`);
    for (const c of p.cells) {
      const t = first(c)?.alignmentTrajectory;
      if (!t?.length) continue;
      const names = t[0]!.stats.map((a) => a.name);
      const svg = lineChart({
        title: `${MODEL_TITLES[c.model]} (${c.method.toUpperCase()}): alignment during training, seed ${seedsOf(o)[0]}`, xLabel: 'training step', yLabel: 'cosine to the BP gradient',
        series: names.map((n) => ({ label: n, points: t.map((q) => [q.step, q.stats.find((a) => a.name === n)?.mean ?? NaN] as [number, number]) })),
      });
      const f = join(o.out, `alignment-trajectory-${c.model}${c.method === 'dfa' ? '' : `-${c.method}`}.svg`);
      mkdirSync(o.out, { recursive: true });
      writeFileSync(f, svg);
      console.log(`wrote ${f}`);
    }
  },
};

async function runOracle(p: OracleParams['oracle'], ctx: RunContext): Promise<{ oracle: OracleResult }> {
  return { oracle: syntheticOracle(p.seed, p.rows, 'test', 0, (n) => ctx.progress(n / p.rows, { rows: n })) };
}

export const RECSYS_SYNTH = experimentCommand(RECSYS_SYNTH_EXPERIMENT as Experiment<SynthOptions, unknown>, {
  name: 'reproduce recsys-synth',
  summary: RECSYS.tables['recsys-synth']!.summary,
  description: `DeepFM and AFN with BP, DFA and shallow (and Deep&Cross with DFA, for its alignment) on N rows of
the synthetic Criteo generator (80/10/10 split), test metrics at the best validation epoch; any
method of the library through --cells or --methods. Checks per model: |AUC(DFA) − AUC(BP)| ≤ 0.005
and shallow below both. Writes the alignment of every feedback point (Table A.1) as
<out>/alignment.png and .svg.`,
  options: OPTIONS,
  validate: (o) => void parsePlan(o),
  async setup(o) {
    useCacheDir(o.cache);
    await (await import('../../../engine/backend')).initBackend();
  },
  io: (o) => ({ checkpoints: o.checkpoint }),
});
