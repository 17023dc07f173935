/**
 * `dfa reproduce table2 | tableA1 | tableA3 | recsys`: the recommender results of §3.1.2 and
 * appendices A–C, ours beside the paper's, as Experiments. One run per model × method × seed
 * (src/command/experiment.ts); the four tables keep their runs in one runs folder ('recsys') under the
 * same ids and params, so `recsys` is table2 + tableA1 + tableA3 from the same runs, and a run one
 * table stored (`--runs DIR`) is reused by the others. The paper trained on all 45M Criteo rows;
 * the default here is the shared 9,999-row sample (or `--data FILE`, `--synthetic N`) at a small
 * budget, stated in every row's note. Any method of the one Method type (`--methods`); rows of
 * methods the paper did not run show '—' for the paper's value.
 */
import { join } from 'node:path';
import type { Experiment, RunOutcome, RunSpec } from '../../../command/experiment';
import { experimentCommand, type ExperimentOptions } from '../../../command/experiment_command';
import type { ListOption, NumberOption } from '../../../command/options';
import { meanStd, type ResultRow } from '../../../command/results';
import { checkpointOption, epochsOption, outOption, seedsOption } from '../../../command/shared';
import { isDirect, METHODS, type Method } from '../../../feedback';
import type { MalformedPolicy } from '../data';
import { RECSYS } from '../manifest';
import { MODEL_TITLES, parseRecsysModel, type RecsysModelName } from '../models';
import { hasAlignment } from '../models/placement';
import { hyperparams, paperValue, PAPER_TABLEA1 } from '../paper';
import { BUDGET_OPTIONS, checkDataOptions, DATA_OPTIONS, modelOption } from '../commands/options';
import { writeAlignmentFigure } from './alignment_figure';
import { cellRuns } from './cell_runs';
import { dataLabel, dataRefOf, useCacheDir } from '../data/ref';
import { runCost, runFromParams, type RecsysRunParams, type RecsysRunSummary } from './run_params';

export type RecsysTable = 'table2' | 'tableA1' | 'tableA3' | 'recsys';

const DEFAULT_MODELS: Record<RecsysTable, RecsysModelName[]> = {
  table2: ['fm', 'deepfm', 'dcn', 'afn'], tableA1: ['dcn', 'afn'], tableA3: ['deepfm', 'dcn', 'afn'], recsys: ['fm', 'deepfm', 'dcn', 'afn'],
};

const DEFAULT_METHODS: Record<RecsysTable, Method[]> = { table2: ['bp', 'dfa'], tableA1: ['dfa'], tableA3: ['shallow'], recsys: ['bp', 'dfa', 'shallow'] };

function tableOptions(table: RecsysTable) {
  return {
    ...DATA_OPTIONS,
    epochs: epochsOption(3),
    ...BUDGET_OPTIONS,
    seeds: seedsOption([0]),
    models: { type: 'list', of: 'string', default: DEFAULT_MODELS[table], help: 'models: fm, deepfm, dcn (deepcross), afn' } satisfies ListOption,
    methods: {
      type: 'list', of: 'enum', choices: METHODS, default: DEFAULT_METHODS[table],
      help: "training methods (FM has no hidden layer: BP only; Table A.1: the methods with an alignment, i.e. not bp or shallow; methods without appendix C settings take DFA's (drtp) or BP's (fa, usf, brsf, frsf))",
    } satisfies ListOption,
    checkpoint: { ...checkpointOption, help: 'save every run after each epoch in DIR/recsys/<model>_<method>_seed<k>/ and resume it from there when the run is retried (same settings only; --epochs may grow)' },
    'lr-scale': { type: 'number', min: 0, above: true, default: 1, help: "multiply appendix C's learning rates" } satisfies NumberOption,
    out: outOption('out/tableA1', 'tableA1/recsys: the alignment figure of every feedback point, DIR/alignment.png + .svg'),
  };
}

type TableOptions = ExperimentOptions<ReturnType<typeof tableOptions>>;

interface Cell { model: RecsysModelName; method: Method }

/** The cells a table shows: table2 and tableA3 every model × method (FM: BP only), tableA1 Deep&Cross and AFN with the methods that have an alignment. */
export function cellsFor(table: RecsysTable, models: RecsysModelName[], methods: Method[]): Cell[] {
  const cells: Cell[] = [];
  for (const model of models) {
    for (const method of methods) {
      const a1 = (model === 'dcn' || model === 'afn') && hasAlignment(method);
      if (table === 'tableA1' ? a1 : model !== 'fm' || method === 'bp') cells.push({ model, method });
    }
  }
  return cells;
}

const runId = (c: Cell, seed: number) => `${c.model}/${c.method}/seed${seed}`;

/** The table a row of this method belongs to: shallow is Table A.3, the others Table 2. */
const rowTable = (m: Method) => (m === 'shallow' ? 'tableA3' : 'table2');

/** Table A.1's point: Deep&Cross's first cross layer (the paper's scalar x·w under the direct methods, the layer's output otherwise), AFN's logarithmic layer. */
function alignmentPoint(c: Cell): string {
  return c.model === 'afn' ? 'lnn' : isDirect(c.method) ? 'cross1.xw' : 'cross1';
}

function plan(table: RecsysTable, o: TableOptions): RunSpec[] {
  const data = dataRefOf({ data: o.data, synthetic: o.synthetic, malformed: o.malformed as MalformedPolicy });
  const specs: RunSpec[] = [];
  for (const c of cellsFor(table, o.models.map(parseRecsysModel), o.methods as Method[])) {
    const hp = hyperparams(c.model, c.method);
    for (const seed of o.seeds) {
      const params: RecsysRunParams = {
        model: c.model, method: c.method, seed, lr: hp.lr * o['lr-scale'], dropout: hp.dropout, epochs: o.epochs, batchSize: o['batch-size'],
        maxTrainRows: o['max-train-rows'] ?? null, maxEvalRows: o['max-eval-rows'] ?? null, patience: o.patience ?? null, splitSeed: 0, data, alignEvery: null,
      };
      specs.push({ id: runId(c, seed), params: params as unknown as Record<string, unknown>, cost: runCost(params) });
    }
  }
  return specs;
}

function assemble(table: RecsysTable, o: TableOptions, outcomes: Map<string, RunOutcome<RecsysRunSummary>>) {
  const cells = cellsFor(table, o.models.map(parseRecsysModel), o.methods as Method[]);
  const label = dataLabel(o);
  const any = [...outcomes.values()].find((x): x is { ok: true; result: RecsysRunSummary } => x.ok)?.result;
  const { epochs, 'lr-scale': lrScale } = o;
  const budget = `${label} (${any?.data.rows ?? '?'} rows, 80/10/10), ${epochs} epoch${epochs > 1 ? 's' : ''}, batch ${o['batch-size']}` +
    (o['max-train-rows'] ? `, ≤${o['max-train-rows']} train rows/epoch` : '') + (lrScale !== 1 ? `, lr ×${lrScale}` : '') + '; paper: 45M rows';
  const runsOf = (c: Cell) => cellRuns(outcomes, o.seeds, (s) => runId(c, s));
  const fm = runsOf({ model: 'fm', method: 'bp' }).results;
  const fmAuc = cells.some((c) => c.model === 'fm') && fm.length ? meanStd(fm.map((r) => r.test.auc)).mean : null;
  const rows: ResultRow[] = [];
  for (const c of cells) {
    const { results: rs, notes } = runsOf(c);
    const hp = hyperparams(c.model, c.method);
    const base = { dataset: label, model: MODEL_TITLES[c.model], method: c.method, seeds: rs.length };
    if (table !== 'tableA1') {
      const paper = paperValue(c.model, c.method);
      const auc = meanStd(rs.map((r) => r.test.auc));
      let note = `lr ${(hp.lr * lrScale).toExponential(0)}, dropout ${hp.dropout}${hp.from !== c.method ? ` (appendix C's ${hp.from.toUpperCase()} setting)` : ''}; ${budget}`;
      if (fmAuc !== null && c.model !== 'fm' && rs.length) note += auc.mean > fmAuc ? '; above our FM baseline' : `; NOT above our FM baseline (${fmAuc.toFixed(4)})`;
      if (notes.length) note += `; ${notes.join('; ')}`;
      rows.push({ ...base, table: rowTable(c.method), metric: 'AUC', ...auc, paper: paper?.auc ?? null, values: rs.map((r) => r.test.auc), note });
      rows.push({ ...base, table: rowTable(c.method), metric: 'log loss', ...meanStd(rs.map((r) => r.test.logLoss)), paper: paper?.loss ?? null, values: rs.map((r) => r.test.logLoss) });
    }
    if ((table === 'tableA1' || table === 'recsys') && cellsFor('tableA1', [c.model], [c.method]).length) {
      // the deepest DFA layer the paper's code measured: the first cross layer's Linear(·, 1)
      // module (a scalar per sample, so the cosine is a sign agreement), the log layer
      const point = alignmentPoint(c);
      const per = rs.map((r) => r.alignment?.find((a) => a.name === point));
      const vals = per.map((a) => a?.mean ?? NaN);
      const all = rs[0]?.alignment?.map((a) => `${a.name} ${a.mean.toFixed(2)} (${a.std.toFixed(2)})`).join(', ');
      const paper = c.method === 'dfa' ? PAPER_TABLEA1[c.model]! : null;
      rows.push({
        ...base, table: 'tableA1', metric: `alignment @${point}`, ...meanStd(vals), paper: paper?.mean ?? null, values: vals,
        note: [`per-sample std ${per[0]?.std.toFixed(2) ?? '—'}${paper ? ` (paper ${paper.std.toFixed(2)})` : ''}, 512 validation rows after training; all points: ${all ?? '—'}; ${budget}`, ...notes].join('; '),
      });
    }
  }
  return { rows, digits: 4, meta: { budget, data: any?.data.source ?? null, fieldDims: any?.data.fieldDims ?? null } };
}

/** Table A.1 as a figure: every feedback point of each Deep&Cross and AFN cell (its first finished seed). */
function drawFigure(table: RecsysTable, o: TableOptions, outcomes: Map<string, RunOutcome<RecsysRunSummary>>): void {
  if (table !== 'tableA1' && table !== 'recsys') return;
  const panels = cellsFor('tableA1', o.models.map(parseRecsysModel), o.methods as Method[]).flatMap((c) => {
    const r = cellRuns(outcomes, o.seeds, (s) => runId(c, s)).results[0];
    return r?.alignment?.length ? [{ title: `${MODEL_TITLES[c.model]} (${c.method.toUpperCase()}, ${dataLabel(o)}): alignment per layer`, stats: r.alignment }] : [];
  });
  if (panels.length) console.log(`wrote ${writeAlignmentFigure(join(o.out, 'alignment'), panels).join(', ')}`);
}

export function tableExperiment(table: RecsysTable): Experiment<TableOptions, RecsysRunSummary> {
  return {
    table,
    runsFolder: 'recsys',
    plan: (o) => plan(table, o),
    run: (spec, ctx) => runFromParams(spec.params as unknown as RecsysRunParams, ctx),
    assemble: (o, outcomes) => assemble(table, o, outcomes),
    finish: async (o, outcomes) => drawFigure(table, o, outcomes),
  };
}

function tableCommand(table: RecsysTable) {
  const name = `reproduce ${table}`;
  return experimentCommand(tableExperiment(table) as Experiment<TableOptions, unknown>, {
    name,
    summary: RECSYS.tables[table]!.summary,
    description: `The paper trained on all 45M Criteo rows (batch 2048, 15 epochs); the default here is the shared
9,999-row sample at a small budget, stated in every row's note. Test metrics at the epoch with the
best validation AUC. The tables of this suite: table2, tableA1, tableA3, recsys (all three from the
same runs), recsys-synth (2M synthetic rows). --runs DIR keeps each run's result in DIR/recsys/,
shared by these four tables.`,
    options: tableOptions(table),
    validate(o) {
      checkDataOptions(`dfa ${name}`, o);
      o.models.forEach((m) => modelOption(`dfa ${name}`, 'models', m));
    },
    async setup(o) {
      useCacheDir(o.cache);
      await (await import('../../../engine/backend')).initBackend();
    },
    io: (o) => ({ checkpoints: o.checkpoint }),
  });
}

export const TABLE2 = tableCommand('table2');
export const TABLE_A1 = tableCommand('tableA1');
export const TABLE_A3 = tableCommand('tableA3');
export const RECSYS_TABLES = tableCommand('recsys');
