/**
 * `dfa reproduce table2 | tableA1 | tableA3 | recsys`: the recommender results of §3.1.2 and
 * appendices A–C, ours beside the paper's. The paper trained on all 45M Criteo rows; the
 * default here is the shared 9,999-row sample (or `--data FILE`, `--synthetic N`) at a small
 * budget, stated in every row's note.
 */
import { join } from 'node:path';
import { defineCommand } from '../../../command/command';
import type { ListOption, NumberOption, OptionValues } from '../../../command/options';
import { formatTable, meanStd, writeResults, type ResultRow } from '../../../command/results';
import { checkpointOption, epochsOption, outOption, RESULT_FILES, seedsOption } from '../../../command/shared';
import { initBackend } from '../../../engine/backend';
import type { MalformedPolicy } from '../data';
import { resolveData } from '../data/resolve';
import { writeAlignmentFigure } from '../experiments/alignment_figure';
import { runCheckpointDir, runRecsys, type RecsysRunResult } from '../experiments/run';
import { RECSYS } from '../manifest';
import { MODEL_TITLES, parseRecsysModel, type RecsysModelName } from '../models';
import { hyperparams, PAPER_TABLE2, PAPER_TABLEA1, PAPER_TABLEA3, type RecsysMethod } from '../paper';
import { BUDGET_OPTIONS, checkDataOptions, DATA_OPTIONS, modelOption } from './options';

interface Cell { model: RecsysModelName; method: RecsysMethod }

function cellsFor(table: string, models: RecsysModelName[]): Cell[] {
  const cells: Cell[] = [];
  for (const model of models) {
    if (table === 'table2' || table === 'recsys') {
      cells.push({ model, method: 'bp' });
      if (model !== 'fm') cells.push({ model, method: 'dfa' });
    }
    if ((table === 'tableA3' || table === 'recsys') && model !== 'fm') cells.push({ model, method: 'shallow' });
    if (table === 'tableA1' && (model === 'dcn' || model === 'afn')) cells.push({ model, method: 'dfa' });
  }
  return cells;
}

type Table = 'table2' | 'tableA1' | 'tableA3' | 'recsys';

const DEFAULT_MODELS: Record<Table, RecsysModelName[]> = {
  table2: ['fm', 'deepfm', 'dcn', 'afn'], tableA1: ['dcn', 'afn'], tableA3: ['deepfm', 'dcn', 'afn'], recsys: ['fm', 'deepfm', 'dcn', 'afn'],
};

function tableOptions(table: Table) {
  return {
    ...DATA_OPTIONS,
    epochs: epochsOption(3),
    ...BUDGET_OPTIONS,
    seeds: seedsOption([0]),
    models: { type: 'list', of: 'string', default: DEFAULT_MODELS[table], help: 'models: fm, deepfm, dcn (deepcross), afn' } satisfies ListOption,
    checkpoint: { ...checkpointOption, help: 'save every run after each epoch in DIR/<model>-<method>-seed<k>/ and resume it from there when the command is run again (same settings only; --epochs may grow)' },
    'lr-scale': { type: 'number', min: 0, above: true, default: 1, help: "multiply appendix C's learning rates" } satisfies NumberOption,
    ...RESULT_FILES,
    out: outOption('out/tableA1', 'tableA1/recsys: the alignment figure of every DFA layer, DIR/alignment.png + .svg'),
  };
}

function tableCommand(table: Table) {
  const name = `reproduce ${table}`;
  return defineCommand({
    name,
    summary: RECSYS.tables[table]!.summary,
    description: `The paper trained on all 45M Criteo rows (batch 2048, 15 epochs); the default here is the shared
9,999-row sample at a small budget, stated in every row's note. Test metrics at the epoch with the
best validation AUC. The tables of this suite: table2, tableA1, tableA3, recsys (all three from the
same runs), recsys-synth (2M synthetic rows).`,
    options: tableOptions(table),
    validate: ({ options: o }) => {
      checkDataOptions(`dfa ${name}`, o);
      o.models.forEach((m) => modelOption(`dfa ${name}`, 'models', m));
    },
    run: ({ options: o }) => runTable(table, o),
  });
}

export const TABLE2 = tableCommand('table2');
export const TABLE_A1 = tableCommand('tableA1');
export const TABLE_A3 = tableCommand('tableA3');
export const RECSYS_TABLES = tableCommand('recsys');

async function runTable(table: Table, o: OptionValues<ReturnType<typeof tableOptions>>): Promise<number> {
  const models = o.models.map(parseRecsysModel), epochs = o.epochs!, seeds = o.seeds!, out = o.out!;
  const { patience, json, md, checkpoint } = o;
  const batchSize = o['batch-size'], maxTrainRows = o['max-train-rows'], maxEvalRows = o['max-eval-rows'], lrScale = o['lr-scale'];
  await initBackend();
  const { data, label } = await resolveData({ data: o.data, synthetic: o.synthetic, cacheDir: o.cache, malformed: o.malformed as MalformedPolicy }, (m) => console.error(m));
  const src = data.open();
  const budget = `${label} (${data.meta.numRows} rows, 80/10/10), ${epochs} epoch${epochs > 1 ? 's' : ''}, batch ${batchSize}` +
    (maxTrainRows ? `, ≤${maxTrainRows} train rows/epoch` : '') + (lrScale !== 1 ? `, lr ×${lrScale}` : '') +
    `; paper: 45M rows`;
  console.error(`recsys: ${budget}; test metrics at the epoch with the best validation AUC`);

  const cells = cellsFor(table, models);
  const results = new Map<string, RecsysRunResult[]>();
  for (const c of cells) {
    const hp = hyperparams(c.model, c.method);
    const rs: RecsysRunResult[] = [];
    for (const s of seeds) {
      const r = await runRecsys(src, {
        model: c.model, method: c.method, lr: hp.lr * lrScale, dropout: hp.dropout, epochs, batchSize, seed: s,
        maxTrainRows, maxEvalRows, patience, progress: true, checkpointDir: runCheckpointDir(checkpoint, c.model, c.method, s), alignment: c.method === 'dfa' && (c.model === 'dcn' || c.model === 'afn'),
      });
      console.error(`  ${MODEL_TITLES[c.model]}/${c.method} seed ${s}: test AUC ${r.test.auc.toFixed(4)} log loss ${r.test.logLoss.toFixed(4)} (best epoch ${r.bestEpoch}, ${r.seconds.toFixed(0)} s, ${Math.round(r.samplesPerSec)} samples/s)`);
      rs.push(r);
    }
    results.set(`${c.model}/${c.method}`, rs);
  }
  src.close();

  const rows: ResultRow[] = [];
  const fmAuc = results.get('fm/bp') ? meanStd(results.get('fm/bp')!.map((r) => r.test.auc)).mean : null;
  const tableName = (m: RecsysMethod) => (table !== 'recsys' ? table : m === 'shallow' ? 'tableA3' : 'table2');
  for (const c of cells) {
    const rs = results.get(`${c.model}/${c.method}`)!;
    const hp = hyperparams(c.model, c.method);
    const paper = c.method === 'shallow' ? PAPER_TABLEA3[`${c.model}/shallow`] : PAPER_TABLE2[`${c.model}/${c.method}`];
    if (table !== 'tableA1') {
      const auc = meanStd(rs.map((r) => r.test.auc));
      let note = `lr ${(hp.lr * lrScale).toExponential(0)}, dropout ${hp.dropout}; ${budget}`;
      if (fmAuc !== null && c.model !== 'fm') note += auc.mean > fmAuc ? '; above our FM baseline' : `; NOT above our FM baseline (${fmAuc.toFixed(4)})`;
      const base = { table: tableName(c.method), dataset: label, model: MODEL_TITLES[c.model], method: c.method, seeds: rs.length };
      rows.push({ ...base, metric: 'AUC', ...auc, paper: paper?.auc ?? null, values: rs.map((r) => r.test.auc), note });
      rows.push({ ...base, metric: 'log loss', ...meanStd(rs.map((r) => r.test.logLoss)), paper: paper?.loss ?? null, values: rs.map((r) => r.test.logLoss) });
    }
    if (c.method === 'dfa' && (c.model === 'dcn' || c.model === 'afn') && (table === 'tableA1' || table === 'recsys')) {
      // the deepest DFA layer the paper's code measured: the first cross layer's Linear(·, 1)
      // module (a scalar per sample, so the cosine is a sign agreement), the log layer
      const point = c.model === 'dcn' ? 'cross1.xw' : 'lnn';
      const per = rs.map((r) => r.alignment?.find((a) => a.name === point));
      const vals = per.map((a) => a?.mean ?? NaN);
      const all = rs[0]!.alignment?.map((a) => `${a.name} ${a.mean.toFixed(2)} (${a.std.toFixed(2)})`).join(', ');
      rows.push({
        table: 'tableA1', dataset: label, model: MODEL_TITLES[c.model], method: 'dfa', metric: `alignment @${point}`,
        ...meanStd(vals), seeds: rs.length, paper: PAPER_TABLEA1[c.model]!.mean, values: vals,
        note: `per-sample std ${per[0]?.std.toFixed(2) ?? '—'} (paper ${PAPER_TABLEA1[c.model]!.std.toFixed(2)}), 512 validation rows after training; all points: ${all}; ${budget}`,
      });
    }
  }
  console.log(formatTable(rows, 4));
  const panels = cells.filter((c) => c.method === 'dfa' && results.get(`${c.model}/dfa`)![0]!.alignment?.length)
    .map((c) => ({ title: `${MODEL_TITLES[c.model]} (DFA, ${label}): alignment per layer`, stats: results.get(`${c.model}/dfa`)![0]!.alignment! }));
  if (panels.length) console.log(`wrote ${writeAlignmentFigure(join(out, 'alignment'), panels).join(', ')}`);
  writeResults(rows, { json, markdown: md, meta: { table, budget, data: data.meta.source, fieldDims: data.meta.fieldDims }, digits: 4 });
  return 0;
}
