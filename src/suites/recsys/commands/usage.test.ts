/**
 * Every recommender command checks its options before any work (no data is read, no backend
 * started): bad values are usage errors naming the option; `criteo-synth` writes its rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, commandHelp } from '../../../command/command';
import { UsageError } from '../../../command/options';
import { withTempDir } from '../../../../test/helpers';
import { CRITEO_SYNTH } from './criteo_synth';
import { RECSYS_SYNTH } from '../experiments/synth';
import { TABLE_A1 } from '../experiments/tables';
import { SEARCH } from '../experiments/search';

const usage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test(e.message);

test('recsys-synth, tables, search: bad cells, per-model and per-cell values, models and data are usage errors', async () => {
  await assert.rejects(runCommand(RECSYS_SYNTH, ['--cells', 'deepfm/sgd']), usage(/--cells: 'deepfm\/sgd' is not MODEL\/METHOD \(methods: bp, dfa, fa, shallow, usf, brsf, frsf, drtp\)/));
  await assert.rejects(runCommand(RECSYS_SYNTH, ['--max-train-rows', 'afn=x']), usage(/--max-train-rows: expected MODEL=N with N from 1 to 1000000000, got 'afn=x'/));
  await assert.rejects(runCommand(RECSYS_SYNTH, ['--dropout', 'deepfm/bp=1.5']), usage(/--dropout: expected MODEL\/METHOD=X/));
  await assert.rejects(runCommand(RECSYS_SYNTH, ['--lr', 'widefm/bp=1e-3']), usage(/--lr: unknown recommender model 'widefm'/));
  await assert.rejects(runCommand(TABLE_A1, ['--models', 'dcn,bert']), usage(/--models: unknown recommender model 'bert'/));
  await assert.rejects(runCommand(TABLE_A1, ['--seeds', '0']), usage(/--seeds must be a count >= 1/));
  await assert.rejects(runCommand(SEARCH, ['--method', 'dfa']), usage(/--model is required/));
  await assert.rejects(runCommand(SEARCH, ['--model', 'fm', '--dropout', '0.2,1']), usage(/--dropout must list rates below 1/));
  await assert.rejects(runCommand(SEARCH, ['--model', 'fm', '--data', '/nonexistent/criteo.tsv']), usage(/--data \/nonexistent\/criteo\.tsv: does not exist/));
  await withTempDir(async (dir) => {
    const f = join(dir, 'rows.tsv');
    writeFileSync(f, '');
    writeFileSync(join(dir, 'more.tsv'), '');
    await assert.rejects(runCommand(SEARCH, ['--model', 'fm', '--data', f, '--synthetic', '1000']), usage(/give --data or --synthetic, not both/));
    await assert.rejects(runCommand(TABLE_A1, ['--data', dir]), usage(/a folder must hold train\.txt or exactly one \.tsv\/\.txt Criteo file \(found 2\)/));
  });
  assert.match(commandHelp(TABLE_A1), /--models LIST +models: fm, deepfm, dcn \(deepcross\), afn \(default dcn,afn\)/);
});

test('zero, negative and oversized budgets are refused by name before any work (tables, recsys-synth, search)', async () => {
  const cases: [Parameters<typeof runCommand>[0], string[], RegExp][] = [
    [TABLE_A1, ['--epochs', '0'], /--epochs must be >= 1, got 0/],
    [TABLE_A1, ['--batch-size', '0'], /--batch-size must be >= 1, got 0/],
    [TABLE_A1, ['--batch-size', '100000000000'], /--batch-size must be <= 1048576/],
    [TABLE_A1, ['--max-train-rows', '-5'], /--max-train-rows must be >= 1, got -5/],
    [TABLE_A1, ['--max-eval-rows', '0'], /--max-eval-rows must be >= 1, got 0/],
    [TABLE_A1, ['--patience', '0'], /--patience must be >= 1, got 0/],
    [TABLE_A1, ['--lr-scale', '0'], /--lr-scale must be > 0, got 0/],
    [TABLE_A1, ['--methods', 'sgd'], /--methods must list items of bp, dfa, fa, shallow, usf, brsf, frsf, drtp, got 'sgd'/],
    [RECSYS_SYNTH, ['--rows', '0'], /--rows must be >= 100, got 0/],
    [RECSYS_SYNTH, ['--epochs', '-1'], /--epochs must be >= 1, got -1/],
    [RECSYS_SYNTH, ['--seeds', '-1'], /--seeds must be a count >= 1/],
    [RECSYS_SYNTH, ['--batch-size', '0'], /--batch-size: '0' is not a whole number from 1 to 1048576/],
    [RECSYS_SYNTH, ['--max-eval-rows', 'afn=0'], /--max-eval-rows: expected MODEL=N with N from 1 to 1000000000, got 'afn=0'/],
    [SEARCH, ['--model', 'fm', '--lr', '0'], /--lr item must be > 0, got 0/],
    [SEARCH, ['--model', 'fm', '--synthetic', '0'], /--synthetic must be >= 100, got 0/],
    [SEARCH, ['--model', 'fm', '--epochs', '0'], /--epochs must be >= 1, got 0/],
  ];
  for (const [cmd, argv, re] of cases) await assert.rejects(runCommand(cmd, argv), usage(re), `${cmd.name} ${argv.join(' ')}`);
});

test('criteo-synth: --rows and --out are required; writes that many Criteo rows (label, 13 integers, 26 categories)', () => withTempDir(async (dir) => {
  await assert.rejects(runCommand(CRITEO_SYNTH, ['--rows', '5']), usage(/--out is required/));
  const out = join(dir, 'synth.tsv');
  const log = console.log, err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    assert.equal(await runCommand(CRITEO_SYNTH, ['--rows', '50', '--out', out, '--seed', '3']), 0);
  } finally {
    console.log = log;
    console.error = err;
  }
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(lines.length, 50);
  for (const l of lines) {
    const cols = l.split('\t');
    assert.equal(cols.length, 40);
    assert.ok(cols[0] === '0' || cols[0] === '1', `label ${cols[0]}`);
  }
}));
