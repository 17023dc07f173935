/**
 * `dfa reproduce table2 | tableA1 | tableA3 | recsys`: the recommender results of §3.1.2 and
 * appendices A–C, ours beside the paper's. The paper trained on all 45M Criteo rows; the
 * default here is the shared 9,999-row sample (or `--data FILE`, `--synthetic N`) at a small
 * budget, stated in every row's note.
 */
import { Options, parseArgs } from '../../../cli/args';
import { initBackend } from '../../../engine/backend';
import { formatTable, meanStd, writeResults, type ResultRow } from '../../../command/results';
import { MODEL_TITLES, parseRecsysModel, type RecsysModelName } from '../models';
import { resolveData } from '../data/resolve';
import { hyperparams, PAPER_TABLE2, PAPER_TABLEA1, PAPER_TABLEA3, type RecsysMethod } from '../paper';
import { runRecsys, type RecsysRunResult } from '../experiments/run';
import { runCheckpointDir } from '../../../experiments/recsys/checkpoint';
import type { MalformedPolicy } from '../data';
import { join } from 'node:path';
import { writeAlignmentFigure } from '../experiments/alignment_figure';

export const help = `usage: dfa reproduce <table2|tableA1|tableA3|recsys> [options]

  table2    FM, DeepFM, Deep&Cross, AFN with BP and DFA: test AUC and log loss
  tableA1   DFA alignment (cosine to the BP gradient) in Deep&Cross's cross layers and AFN's log layer
  tableA3   shallow training (only the layers after the last feedback point learn)
  recsys    all three from the same runs
  recsys-synth  DeepFM and AFN (BP, DFA, shallow) on 2M synthetic rows: 'dfa reproduce recsys-synth --help'

data:
  --data PATH        a Criteo TSV file (train.txt of the Display Advertising Challenge), or a folder
                     holding it; default: the shared 9,999-row sample
  --synthetic N      N rows of the known-model synthetic generator instead (e.g. 2000000)
  --cache DIR        processed-data cache (default ~/.cache/dfa-ts/criteo or $DFA_CACHE/criteo)
  --malformed skip|error   malformed lines: skip them (reported with line numbers) or stop (default skip)
budget (paper: all 45M rows, batch 2048, 15 epochs):
  --epochs N         (default 3)       --batch-size N  (default 256)
  --max-train-rows N rows per epoch (default all of the train split)
  --max-eval-rows N  (default all)     --patience N    stop after N epochs without a better val AUC
  --seeds N          (default 1)       --models LIST   (default fm,deepfm,dcn,afn)
  --checkpoint DIR   save every run after each epoch in DIR/<model>-<method>-seed<k>/ and resume it
                     from there when the command is run again (same settings only; --epochs may grow)
  --lr-scale X       multiply appendix C's learning rates (default 1)
output:
  --json FILE  --md FILE
  --out DIR          tableA1/recsys: the alignment figure of every DFA layer, DIR/alignment.png + .svg
                     (default out/tableA1)`;

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

export async function run(table: string, argv: string[]): Promise<number> {
  if (table === 'recsys-synth') return (await import('./recsys_synth')).runSynthetic(argv);
  const { options } = parseArgs(argv);
  if (options.help) {
    console.log(help);
    return 0;
  }
  const o = new Options(options, `dfa reproduce ${table}`);
  const defModels = table === 'tableA1' ? 'dcn,afn' : table === 'tableA3' ? 'deepfm,dcn,afn' : 'fm,deepfm,dcn,afn';
  const models = o.list('models', defModels.split(',')).map(parseRecsysModel);
  const seeds = o.int('seeds', 1);
  const epochs = o.int('epochs', 3);
  const batchSize = o.int('batch-size', 256);
  const maxTrainRows = o.int('max-train-rows');
  const maxEvalRows = o.int('max-eval-rows');
  const patience = o.int('patience');
  const lrScale = o.num('lr-scale', 1);
  const synthetic = o.int('synthetic');
  const dataOpt = o.str('data');
  const cacheDir = o.str('cache');
  const malformed = o.str('malformed', 'skip') as MalformedPolicy;
  if (malformed !== 'skip' && malformed !== 'error') throw new Error(`--malformed must be skip or error, got '${malformed}'`);
  const json = o.str('json');
  const md = o.str('md');
  const out = o.str('out', 'out/tableA1');
  const checkpoint = o.str('checkpoint');
  o.done();
  if (!['table2', 'tableA1', 'tableA3', 'recsys'].includes(table)) throw new Error(`recsys suite: unknown table '${table}'`);

  await initBackend();
  const { data, label } = await resolveData({ data: dataOpt, synthetic, cacheDir, malformed }, (m) => console.error(m));
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
    for (let s = 0; s < seeds; s++) {
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
