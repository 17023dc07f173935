/**
 * `dfa search`: appendix C's hyper-parameter search as an Experiment: one run per grid point
 * (learning rate × dropout) × seed for one model and method, every run trained the same way, the
 * winner chosen on mean validation AUC (the test split is reported but never used to choose).
 */
import type { Experiment, RunOutcome, RunSpec } from '../../../command/experiment';
import { experimentCommand, type ExperimentOptions } from '../../../command/experiment_command';
import { UsageError, type EnumOption, type ListOption, type StringOption } from '../../../command/options';
import { meanStd, type ResultRow } from '../../../command/results';
import { checkpointOption, epochsOption, seedsOption } from '../../../command/shared';
import { METHODS, type Method } from '../../../feedback';
import type { MalformedPolicy } from '../data';
import { RECSYS } from '../manifest';
import { MODEL_TITLES, type RecsysModelName } from '../models';
import { PAPER_GRID } from '../paper';
import { BUDGET_OPTIONS, checkDataOptions, DATA_OPTIONS, modelOption } from '../commands/options';
import { cellRuns } from './cell_runs';
import { dataLabel, dataRefOf, useCacheDir } from '../data/ref';
import { runCost, runFromParams, type RecsysRunParams, type RecsysRunSummary } from './run_params';

const NAME = 'dfa search';

const OPTIONS = {
  model: { type: 'string', placeholder: 'fm|deepfm|dcn|afn', help: 'the recommender model (required)' } satisfies StringOption,
  method: { type: 'enum', choices: METHODS, default: 'bp', help: 'training method' } satisfies EnumOption,
  lr: { type: 'list', of: 'number', min: 0, above: true, default: PAPER_GRID.lr, help: "learning rates (default the paper's 1e-4,2e-4,…,1e-3)" } satisfies ListOption,
  dropout: { type: 'list', of: 'number', min: 0, help: "dropout rates, each below 1 (default the paper's 0.1,…,0.5; 0 for FM)" } satisfies ListOption,
  ...DATA_OPTIONS,
  epochs: epochsOption(3),
  ...BUDGET_OPTIONS,
  seeds: seedsOption([0], 'model, feedback and shuffling seeds per grid point: a count N (seeds 0..N-1) or a comma list; the choice uses their mean validation AUC'),
  checkpoint: {
    ...checkpointOption,
    help: "save every run after each epoch in DIR/search/<model>_<method>_lr<X>_dropout<Y>_seed<k>/ and resume it from there when it is retried",
  },
} as const;

type SearchOptions = ExperimentOptions<typeof OPTIONS>;

interface GridPoint { lr: number; dropout: number }

/** One grid point's result (means over its finished seeds). */
export interface SearchPoint extends GridPoint {
  valAuc: number;
  valLogLoss: number;
  testAuc: number;
  testLogLoss: number;
  bestEpochs: number[];
  seeds: number;
}

const modelOf = (o: SearchOptions): RecsysModelName => modelOption(NAME, 'model', o.model ?? '');

function gridOf(o: SearchOptions): GridPoint[] {
  const dropouts = o.dropout ?? (modelOf(o) === 'fm' ? [0] : PAPER_GRID.dropout);
  return o.lr.flatMap((lr) => dropouts.map((dropout) => ({ lr, dropout })));
}

const runId = (o: SearchOptions, g: GridPoint, seed: number) => `${modelOf(o)}/${o.method}/lr${g.lr}/dropout${g.dropout}/seed${seed}`;

/** Each grid point's means over its finished seeds, and the best on validation AUC (null before any has finished). */
export function searchPoints(o: SearchOptions, outcomes: Map<string, RunOutcome<RecsysRunSummary>>): { points: (SearchPoint & { notes: string[] })[]; best: SearchPoint | null } {
  const points = gridOf(o).map((g) => {
    const { results: rs, notes } = cellRuns(outcomes, o.seeds, (s) => runId(o, g, s));
    const mean = (f: (r: RecsysRunSummary) => number) => meanStd(rs.map(f)).mean;
    return {
      ...g, valAuc: mean((r) => r.val.auc), valLogLoss: mean((r) => r.val.logLoss), testAuc: mean((r) => r.test.auc), testLogLoss: mean((r) => r.test.logLoss),
      bestEpochs: rs.map((r) => r.bestEpoch), seeds: rs.length, notes,
    };
  });
  const done = points.filter((p) => p.seeds > 0);
  return { points, best: done.length ? done.reduce((a, b) => (b.valAuc > a.valAuc ? b : a)) : null };
}

export const SEARCH_EXPERIMENT: Experiment<SearchOptions, RecsysRunSummary> = {
  table: 'search',
  plan(o) {
    const model = modelOf(o);
    const data = dataRefOf({ data: o.data, synthetic: o.synthetic, malformed: o.malformed as MalformedPolicy });
    const specs: RunSpec[] = [];
    for (const g of gridOf(o)) {
      for (const seed of o.seeds) {
        const params: RecsysRunParams = {
          model, method: o.method as Method, seed, lr: g.lr, dropout: g.dropout, epochs: o.epochs, batchSize: o['batch-size'],
          maxTrainRows: o['max-train-rows'] ?? null, maxEvalRows: o['max-eval-rows'] ?? null, patience: o.patience ?? null, splitSeed: 0, data, alignEvery: null,
        };
        specs.push({ id: runId(o, g, seed), params: params as unknown as Record<string, unknown>, cost: runCost(params) });
      }
    }
    return specs;
  },
  run: (spec, ctx) => runFromParams(spec.params as unknown as RecsysRunParams, ctx),
  assemble(o, outcomes) {
    const { points, best } = searchPoints(o, outcomes);
    const base = { table: 'search', dataset: dataLabel(o), model: MODEL_TITLES[modelOf(o)] };
    const rows: ResultRow[] = points.flatMap((p) => {
      const method = `${o.method} lr ${p.lr} dropout ${p.dropout}`;
      const vals = (f: (r: RecsysRunSummary) => number) => cellRuns(outcomes, o.seeds, (s) => runId(o, p, s)).results.map(f);
      const note = [`val log loss ${p.valLogLoss.toFixed(4)}, test log loss ${p.testLogLoss.toFixed(4)}, best epoch ${p.bestEpochs.join(',') || '—'}${p === best ? '; best (val AUC)' : ''}`, ...p.notes].join('; ');
      return [
        { ...base, method, metric: 'val AUC', ...meanStd(vals((r) => r.val.auc)), seeds: p.seeds, paper: null, values: vals((r) => r.val.auc), note },
        { ...base, method, metric: 'test AUC', ...meanStd(vals((r) => r.test.auc)), seeds: p.seeds, paper: null, values: vals((r) => r.test.auc) },
      ];
    });
    const notes = best ? [`best on validation AUC: lr ${best.lr}, dropout ${best.dropout} (val AUC ${best.valAuc.toFixed(4)}, test AUC ${best.testAuc.toFixed(4)})`] : [];
    return { rows, notes, digits: 4, meta: { model: modelOf(o), method: o.method, epochs: o.epochs, batchSize: o['batch-size'], seeds: o.seeds, best, points: points.map(({ notes: _, ...p }) => p) } };
  },
};

export const SEARCH = experimentCommand(SEARCH_EXPERIMENT as Experiment<SearchOptions, unknown>, {
  name: 'search',
  summary: RECSYS.commands!.search!.summary,
  description: `Grid search of appendix C: every (learning rate, dropout) pair is trained (with each seed); the
best on mean validation AUC wins (the test split is reported, never used to choose). Prints all
results; --json FILE / --md FILE write them; --runs DIR keeps each run's result and reuses it.`,
  options: OPTIONS,
  validate(o) {
    if (o.model === undefined) throw new UsageError(`${NAME}: --model is required (fm, deepfm, dcn or afn)`);
    modelOption(NAME, 'model', o.model);
    if (o.dropout?.some((d) => d >= 1)) throw new UsageError(`${NAME}: --dropout must list rates below 1, got ${o.dropout.join(',')}`);
    checkDataOptions(NAME, o);
  },
  async setup(o) {
    useCacheDir(o.cache);
    await (await import('../../../engine/backend')).initBackend();
  },
  io: (o) => ({ checkpoints: o.checkpoint }),
});
