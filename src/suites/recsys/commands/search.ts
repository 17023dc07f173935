/**
 * `dfa search`: appendix C's grid search (learning rate × dropout) for one recommender model and
 * training method, choosing on validation AUC and writing every configuration's result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defineCommand } from '../../../command/command';
import { UsageError, type EnumOption, type IntOption, type ListOption, type StringOption } from '../../../command/options';
import { checkpointOption, epochsOption, RESULT_FILES } from '../../../command/shared';
import { initBackend } from '../../../engine/backend';
import type { MalformedPolicy } from '../data';
import { resolveData } from '../data/resolve';
import { gridSearch } from '../experiments/search';
import { RECSYS } from '../manifest';
import { PAPER_GRID, type RecsysMethod } from '../paper';
import { BUDGET_OPTIONS, checkDataOptions, DATA_OPTIONS, modelOption } from './options';

const NAME = 'dfa search';

export const SEARCH = defineCommand({
  name: 'search',
  summary: RECSYS.commands!.search!.summary,
  description: `Grid search of appendix C: every (learning rate, dropout) pair is trained; the best on
validation AUC wins (the test split is reported, never used to choose). Prints all results;
--json FILE / --md FILE write them.`,
  options: {
    model: { type: 'string', placeholder: 'fm|deepfm|dcn|afn', help: 'the recommender model (required)' } satisfies StringOption,
    method: { type: 'enum', choices: ['bp', 'dfa', 'shallow'], default: 'bp', help: 'training method' } satisfies EnumOption,
    lr: { type: 'list', of: 'number', min: 0, above: true, default: PAPER_GRID.lr, help: "learning rates (default the paper's 1e-4,2e-4,…,1e-3)" } satisfies ListOption,
    dropout: { type: 'list', of: 'number', min: 0, help: "dropout rates, each below 1 (default the paper's 0.1,…,0.5; 0 for FM)" } satisfies ListOption,
    ...DATA_OPTIONS,
    epochs: epochsOption(3),
    ...BUDGET_OPTIONS,
    seed: { type: 'int', min: 0, default: 0, help: 'model, feedback and shuffling seed' } satisfies IntOption,
    checkpoint: {
      ...checkpointOption,
      help: "save every configuration's run after each epoch in DIR/<model>-<method>-lr<X>-dropout<Y>-seed<k>/; run the same search again to resume it (finished configurations are not retrained)",
    },
    ...RESULT_FILES,
  },
  validate: ({ options: o }) => {
    if (o.model === undefined) throw new UsageError(`${NAME}: --model is required (fm, deepfm, dcn or afn)`);
    modelOption(NAME, 'model', o.model);
    if (o.dropout?.some((d) => d >= 1)) throw new UsageError(`${NAME}: --dropout must list rates below 1, got ${o.dropout.join(',')}`);
    checkDataOptions(NAME, o);
  },
  run: async ({ options: o }) => {
    const model = modelOption(NAME, 'model', o.model!);
    const method = o.method as RecsysMethod;
    const lr = o.lr, dropout = o.dropout ?? (model === 'fm' ? [0] : PAPER_GRID.dropout);
    const epochs = o.epochs!, batchSize = o['batch-size'], seed = o.seed;
    await initBackend();
    const d = await resolveData({ data: o.data, synthetic: o.synthetic, cacheDir: o.cache, malformed: o.malformed as MalformedPolicy }, (m) => console.error(m));
    const src = d.data.open();
    console.error(`${NAME}: ${model}/${method} on ${d.label} (${d.data.meta.numRows} rows), ${lr.length}×${dropout.length} configurations, ${epochs} epochs, batch ${batchSize}`);
    const base = { model, method, epochs, batchSize, seed, maxTrainRows: o['max-train-rows'], maxEvalRows: o['max-eval-rows'], patience: o.patience };
    const res = await gridSearch(src, base, { lr, dropout }, (p, i, n) =>
      console.error(`  [${i}/${n}] lr ${p.lr} dropout ${p.dropout}: val AUC ${p.valAuc.toFixed(4)}  test AUC ${p.testAuc.toFixed(4)}  (${p.seconds.toFixed(0)} s)`), o.checkpoint);
    src.close();
    const lines = ['| lr | dropout | val AUC | val log loss | test AUC | test log loss | best epoch | |', '|---|---|---|---|---|---|---|---|', ...res.points.map((p) =>
      `| ${p.lr} | ${p.dropout} | ${p.valAuc.toFixed(4)} | ${p.valLogLoss.toFixed(4)} | ${p.testAuc.toFixed(4)} | ${p.testLogLoss.toFixed(4)} | ${p.bestEpoch} | ${p === res.best ? 'best (val AUC)' : ''} |`)];
    console.log(lines.join('\n'));
    console.log(`\nbest on validation AUC: lr ${res.best.lr}, dropout ${res.best.dropout} (val AUC ${res.best.valAuc.toFixed(4)}, test AUC ${res.best.testAuc.toFixed(4)})`);
    const meta = { data: d.data.meta.source, rows: d.data.meta.numRows, epochs, batchSize, seed };
    for (const [file, text] of [[o.json, JSON.stringify({ ...meta, ...res }, null, 2) + '\n'], [o.md, lines.join('\n') + '\n']] as const) {
      if (!file) continue;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    return 0;
  },
});
