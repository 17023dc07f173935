/**
 * `dfa search`: appendix C's grid search (learning rate × dropout) for one recommender model and
 * training method, choosing on validation AUC and writing every configuration's result.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { initBackend } from '../../../engine/backend';
import { Options, parseArgs } from '../../../cli/args';
import { parseRecsysModel } from '../models';
import { resolveData } from '../data/resolve';
import { PAPER_GRID, type RecsysMethod } from '../paper';
import { gridSearch } from '../experiments/search';
import type { MalformedPolicy } from '../data';

export const help = `usage: dfa search --model fm|deepfm|dcn|afn --method bp|dfa|shallow [options]

Grid search of appendix C: every (learning rate, dropout) pair is trained; the best on
validation AUC wins. Prints all results; --json FILE / --md FILE write them.

  --lr LIST        learning rates (default the paper's 1e-4,2e-4,…,1e-3)
  --dropout LIST   dropout rates (default the paper's 0.1,…,0.5; 0 for FM)
  --data PATH | --synthetic N | --cache DIR | --malformed skip|error   as in 'dfa reproduce table2'
  --epochs N (3)  --batch-size N (256)  --max-train-rows N  --max-eval-rows N  --patience N  --seed N (0)
  --checkpoint DIR  save every configuration's run after each epoch in DIR/<model>-<method>-lr<X>-dropout<Y>-seed<k>/;
                   run the same search again to resume it (finished configurations are not retrained)
  --json FILE  --md FILE`;

export async function run(argv: string[]): Promise<number> {
  const { options } = parseArgs(argv);
  if (options.help) {
    console.log(help);
    return 0;
  }
  const o = new Options(options, 'dfa search');
  const modelStr = o.str('model');
  if (!modelStr) {
    console.error(help);
    return 2;
  }
  const model = parseRecsysModel(modelStr);
  const method = o.str('method', 'bp') as RecsysMethod;
  if (!['bp', 'dfa', 'shallow'].includes(method)) throw new Error(`dfa search: --method must be bp, dfa or shallow, got '${method}'`);
  const nums = (name: string, def: number[]) => o.list(name, def.map(String)).map((s) => {
    const v = Number(s);
    if (!Number.isFinite(v) || v < 0) throw new Error(`dfa search: --${name} has a bad value '${s}'`);
    return v;
  });
  const lr = nums('lr', PAPER_GRID.lr);
  const dropout = nums('dropout', model === 'fm' ? [0] : PAPER_GRID.dropout);
  if (dropout.some((d) => d >= 1)) throw new Error('dfa search: dropout must be below 1');
  const epochs = o.int('epochs', 3);
  const batchSize = o.int('batch-size', 256);
  const maxTrainRows = o.int('max-train-rows');
  const maxEvalRows = o.int('max-eval-rows');
  const patience = o.int('patience');
  const seed = o.int('seed', 0);
  const data = o.str('data');
  const synthetic = o.int('synthetic');
  const cacheDir = o.str('cache');
  const malformed = o.str('malformed', 'skip') as MalformedPolicy;
  const json = o.str('json');
  const md = o.str('md');
  const checkpoint = o.str('checkpoint');
  o.done();
  await initBackend();
  const d = await resolveData({ data, synthetic, cacheDir, malformed }, (m) => console.error(m));
  const src = d.data.open();
  console.error(`dfa search: ${model}/${method} on ${d.label} (${d.data.meta.numRows} rows), ${lr.length}×${dropout.length} configurations, ${epochs} epochs, batch ${batchSize}`);
  const res = await gridSearch(src, { model, method, epochs, batchSize, seed, maxTrainRows, maxEvalRows, patience }, { lr, dropout }, (p, i, n) =>
    console.error(`  [${i}/${n}] lr ${p.lr} dropout ${p.dropout}: val AUC ${p.valAuc.toFixed(4)}  test AUC ${p.testAuc.toFixed(4)}  (${p.seconds.toFixed(0)} s)`), checkpoint);
  src.close();
  const head = '| lr | dropout | val AUC | val log loss | test AUC | test log loss | best epoch | |';
  const lines = [head, '|---|---|---|---|---|---|---|---|', ...res.points.map((p) =>
    `| ${p.lr} | ${p.dropout} | ${p.valAuc.toFixed(4)} | ${p.valLogLoss.toFixed(4)} | ${p.testAuc.toFixed(4)} | ${p.testLogLoss.toFixed(4)} | ${p.bestEpoch} | ${p === res.best ? 'best (val AUC)' : ''} |`)];
  console.log(lines.join('\n'));
  console.log(`\nbest on validation AUC: lr ${res.best.lr}, dropout ${res.best.dropout} (val AUC ${res.best.valAuc.toFixed(4)}, test AUC ${res.best.testAuc.toFixed(4)})`);
  const meta = { data: d.data.meta.source, rows: d.data.meta.numRows, epochs, batchSize, seed };
  if (json) {
    mkdirSync(dirname(json), { recursive: true });
    writeFileSync(json, JSON.stringify({ ...meta, ...res }, null, 2) + '\n');
  }
  if (md) {
    mkdirSync(dirname(md), { recursive: true });
    writeFileSync(md, lines.join('\n') + '\n');
  }
  return 0;
}
