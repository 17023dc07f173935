/**
 * `dfa reproduce zoo`: every training method (and, under DFA, each projection, 1-bit and 4-bit
 * errors, and noise on the projected signal) on one model of each family: an MLP on the rings
 * (or teacher) task, the GCN on Cora, Tiny-NeRF on lego, a small Transformer LM and the MNIST CNN.
 * Per cell: the model's metric, the alignment with BP's gradient after training and the step time
 * relative to BP's, each as mean ± std over the seeds, as one table. The zoo is an application
 * beside the CLI (it combines the wings): it reaches each model through the core or the export
 * its wing offers (models.ts), and runs as an Experiment (one run per model × row × seed, stored
 * and reused with --runs).
 */
import type { Experiment, RunOutcome, RunSpec } from '../command/experiment';
import { experimentCommand, type ExperimentOptions } from '../command/experiment_command';
import type { OptionTable } from '../command/options';
import { meanStd, type ResultRow } from '../command/results';
import { seedsOption } from '../command/shared';
import { backendName } from '../engine/backend';
import { TASKS } from '../tasks';
import { ZOO, ZOO_MODELS, type Budget, type ZooModelId } from './models';
import { runZoo, type ZooRunParams, type ZooRunResult } from './run';
import { formatZoo, type ZooCell } from './table';
import { variant, VARIANT_IDS, VARIANTS } from './variants';

const OPTIONS = {
  models: { type: 'list', of: 'enum', choices: ZOO_MODELS, default: ZOO_MODELS, help: 'the models (mlp: rings or teacher; gcn: Cora; nerf: Tiny-NeRF lego; transformer: a small LM on Tiny Shakespeare; cnn: MNIST)' },
  rows: { type: 'list', of: 'enum', choices: VARIANT_IDS, default: VARIANT_IDS, help: 'the rows: methods and DFA variants' },
  seeds: seedsOption([0, 1, 2], 'seeds per cell: a count N (seeds 0..N-1) or a comma list'),
  'mlp-task': { type: 'enum', choices: ['rings', 'teacher'], default: 'rings', help: "the MLP's built-in task" },
  quick: { type: 'flag', help: 'a tiny budget for every model (seconds; tests): numbers meaningless' },
} satisfies OptionTable;

type Options = ExperimentOptions<typeof OPTIONS>;

/** A model's budget under the options (mlp: its task). */
export function budgetOf(model: ZooModelId, o: Pick<Options, 'quick' | 'mlp-task'>): Budget {
  const b = { ...ZOO[model].budgets[o.quick ? 'quick' : 'default'] };
  if (model === 'mlp') {
    const t = o['mlp-task'];
    b.task = t;
    if (!o.quick) {
      const d = TASKS[t]!.defaults;
      Object.assign(b, { n: d.n, hidden: d.hidden.join(','), epochs: d.epochs, batch: d.batchSize, lr: d.optimizer.lr });
    }
  }
  return b;
}

const runId = (model: string, row: string, seed: number) => `${model}/${row}/seed${seed}`;

/** A model's budget line: bp's, and the others' when their settings differ (the GCN: DFA's dropout and decay). */
function describeRun(describes: Map<string, string>, label: string, row: string, d: string): void {
  const have = describes.get(label);
  if (!have) describes.set(label, row === 'bp' ? d : `others: ${d}`);
  else if (row !== 'bp' && !have.includes(d)) describes.set(label, `${have}; others: ${d}`);
}

/** The runs: bp always (the step times' reference), every row a model defines, every seed. */
function plan(o: Options): RunSpec[] {
  const specs: RunSpec[] = [];
  for (const model of o.models as ZooModelId[]) {
    const m = ZOO[model];
    const rows = o.rows.includes('bp') ? o.rows : ['bp', ...o.rows];
    for (const row of rows) {
      if (m.undefinedFor(variant(row).method)) continue;
      for (const seed of o.seeds) {
        const params: ZooRunParams = { model, variant: row, seed, budget: budgetOf(model, o) };
        specs.push({ id: runId(model, row, seed), params: params as unknown as Record<string, unknown>, cost: COST[model] });
      }
    }
  }
  return specs;
}

/** Rough relative cost of a run at the default budget (for the progress estimate). */
const COST: Record<ZooModelId, number> = { mlp: 1, gcn: 1, nerf: 6, transformer: 6, cnn: 4 };

function assemble(o: Options, outcomes: Map<string, RunOutcome<ZooRunResult>>) {
  const cells: ZooCell[] = [];
  const rows: ResultRow[] = [];
  const describes = new Map<string, string>();
  for (const model of o.models as ZooModelId[]) {
    const m = ZOO[model];
    const bpMs = new Map<number, number>();
    for (const seed of o.seeds) {
      const b = outcomes.get(runId(model, 'bp', seed));
      if (b?.ok && Number.isFinite(b.result.stepMs)) bpMs.set(seed, b.result.stepMs);
    }
    for (const row of o.rows) {
      const v = variant(row);
      const why = m.undefinedFor(v.method);
      if (why) {
        cells.push({ model: m.label, metric: m.metric, row, undefined: why });
        continue;
      }
      const metric: number[] = [], align: number[] = [], time: number[] = [];
      const issues: string[] = [];
      for (const seed of o.seeds) {
        const out = outcomes.get(runId(model, row, seed));
        if (!out) issues.push(`seed ${seed} not run yet`);
        else if (!out.ok) issues.push(`seed ${seed} failed: ${out.error}`);
        else if (out.result.diverged) issues.push(`seed ${seed} diverged`);
        else {
          const r = out.result;
          describeRun(describes, m.label, row, r.describe);
          metric.push(r.metric);
          if (r.alignment !== null) align.push(r.alignment);
          const ref = bpMs.get(seed);
          if (ref) time.push(r.stepMs / ref);
        }
      }
      const cell: ZooCell = { model: m.label, metric: m.metric, row, values: metric, mean: meanStd(metric), alignment: align.length ? meanStd(align) : null, time: time.length ? meanStd(time) : null, issues };
      cells.push(cell);
      const base = { table: 'zoo', dataset: m.label, model: model, method: row, seeds: metric.length, paper: null, ...(issues.length ? { note: issues.join('; ') } : {}) };
      rows.push({ ...base, metric: m.metric, mean: cell.mean!.mean, std: cell.mean!.std, values: metric });
      if (cell.alignment) rows.push({ ...base, metric: 'alignment (cos)', mean: cell.alignment.mean, std: cell.alignment.std, values: align });
      if (cell.time) rows.push({ ...base, metric: 'step time ×BP', mean: cell.time.mean, std: cell.time.std, values: time });
    }
  }
  const table = formatZoo(cells);
  const budgets = [...describes].map(([label, d]) => `  ${label}: ${d}`);
  const notes = [
    ...table.notes,
    `alignment: mean over a model's feedback points of the per-sample cosine between the signal the method delivers and BP's gradient, after training ('—': bp is the reference, shallow delivers none). step time: median ms of a training step divided by bp's (same model, same seed; '—' for bp, 1 by definition). mean ± std over ${o.seeds.length} seed${o.seeds.length > 1 ? 's' : ''} (sample std).`,
    `budgets${o.quick ? ' (--quick: a test budget, numbers meaningless)' : ''}, ${backendName()} backend:`,
    ...budgets,
  ];
  return { rows, notes, table: { text: table.text, markdown: table.markdown }, meta: { backend: backendName(), budgets: Object.fromEntries(describes), quick: o.quick } };
}

export const ZOO_EXPERIMENT: Experiment<Options, ZooRunResult> = {
  table: 'zoo',
  plan,
  run: (spec, ctx) => runZoo(spec.params as unknown as ZooRunParams, ctx),
  assemble,
};

export const ZOO_SUMMARY = 'every method and DFA projection on an MLP, a GCN, Tiny-NeRF, a Transformer and a CNN: metric, alignment, step time ×BP';

export const ZOO_COMMAND = experimentCommand(ZOO_EXPERIMENT, {
  name: 'reproduce zoo',
  summary: ZOO_SUMMARY,
  description: `The method zoo (beyond the paper): every training method (${VARIANTS.filter((v) => !v.feedback && v.id !== 'dfa').map((v) => v.id).join(', ')}, dfa) and,
under DFA, each projection (gaussian, ternary, binary, sparse, structured), 1-bit and 4-bit errors
and noise on the projected signal, on one model of each family: the MLP of 'dfa train rings'
(or teacher), the paper's GCN on Cora (250 epochs), Tiny-NeRF on lego (400 steps at 25x25), a
small Transformer LM on Tiny Shakespeare (300 steps, error at the logits), and the MNIST CNN (one
epoch over 5,500 images). Per cell: the metric, the alignment with BP after training and the step
time relative to BP, mean ± std over the seeds. drtp is undefined for NeRF (a regression): a note,
not a run. The default (16 rows x 5 models x 3 seeds = 237 runs) takes about 30 min on one core;
--quick is a test budget of seconds.`,
  options: OPTIONS,
});
