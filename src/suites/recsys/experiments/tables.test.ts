/**
 * The recommender tables as Experiments: what they plan (one run per model × method × seed, shared
 * between table2, tableA1, tableA3 and recsys), a small table end to end, a stored run reused by
 * another table (--runs), a run retried after a crash resuming from its checkpoint folder, and
 * the real sample's FM row beside the paper's value.
 */
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, type Command } from '../../../command/command';
import type { RunContext, RunSpec } from '../../../command/experiment';
import { parseOptions, type OptionTable } from '../../../command/options';
import { hasSharedData, quietly, withTempDir } from '../../../../test/helpers';
import { RECSYS_TABLES, TABLE2, TABLE_A1, TABLE_A3, tableExperiment, type RecsysTable } from './tables';
import type { RecsysRunSummary } from './run_params';
import { useCacheDir } from '../data/ref';

const COMMANDS: Record<RecsysTable, Command> = { table2: TABLE2, tableA1: TABLE_A1, tableA3: TABLE_A3, recsys: RECSYS_TABLES } as Record<RecsysTable, Command>;

function planOf(table: RecsysTable, argv: string[]): RunSpec[] {
  const cmd = COMMANDS[table] as Command<OptionTable>;
  const exp = tableExperiment(table);
  return exp.plan(parseOptions(cmd.name, cmd.options, argv).options as Parameters<typeof exp.plan>[0]);
}

test('plan: one run per model × method × seed; recsys = table2 + tableA3 with the same ids and params, tableA1 a part of them; no machine path but the data file', () => withTempDir((dir) => {
  const argv = ['--synthetic', '1000', '--seeds', '2', '--cache', join(dir, 'cache'), '--checkpoint', join(dir, 'ck')];
  const plans = Object.fromEntries((['table2', 'tableA1', 'tableA3', 'recsys'] as const).map((t) => [t, planOf(t, argv)])) as Record<RecsysTable, RunSpec[]>;
  const ids = (t: RecsysTable) => plans[t].map((s) => s.id);
  assert.deepEqual(ids('tableA1'), ['dcn/dfa/seed0', 'dcn/dfa/seed1', 'afn/dfa/seed0', 'afn/dfa/seed1']);
  assert.deepEqual(ids('tableA3'), ['deepfm/shallow/seed0', 'deepfm/shallow/seed1', 'dcn/shallow/seed0', 'dcn/shallow/seed1', 'afn/shallow/seed0', 'afn/shallow/seed1']);
  assert.equal(ids('table2').length, 14, 'FM (BP only) and three models with bp and dfa, two seeds');
  assert.deepEqual([...ids('recsys')].sort(), [...ids('table2'), ...ids('tableA3')].sort());
  const byId = new Map(plans.recsys.map((s) => [s.id, JSON.stringify(s.params)]));
  for (const t of ['table2', 'tableA1', 'tableA3'] as const) {
    for (const s of plans[t]) assert.equal(JSON.stringify(s.params), byId.get(s.id), `${t} ${s.id}: the params recsys plans`);
    assert.equal(tableExperiment(t).runsFolder, 'recsys');
  }
  const p = plans.recsys.find((s) => s.id === 'dcn/dfa/seed1')!.params;
  assert.deepEqual(p, { model: 'dcn', method: 'dfa', seed: 1, lr: 5e-5, dropout: 0, epochs: 3, batchSize: 256, maxTrainRows: null, maxEvalRows: null, patience: null, splitSeed: 0,
    data: { kind: 'synthetic', rows: 1000, seed: 0 }, alignEvery: null });
  // any method; FM has no hidden layer (BP only); Table A.1 takes the methods with an alignment
  assert.deepEqual(planOf('table2', ['--synthetic', '1000', '--models', 'fm,deepfm', '--methods', 'drtp,usf']).map((s) => s.id), ['deepfm/drtp/seed0', 'deepfm/usf/seed0']);
  assert.deepEqual(planOf('tableA1', ['--synthetic', '1000', '--methods', 'bp,usf,shallow']).map((s) => s.id), ['dcn/usf/seed0', 'afn/usf/seed0']);
  // a user's file: its path and the hash of its bytes; the cache folder is not a parameter
  const f = join(dir, 'rows.tsv');
  writeFileSync(f, '0\t1\n');
  const withFile = planOf('table2', ['--data', f, '--models', 'fm', '--cache', join(dir, 'cache')]);
  assert.deepEqual(withFile[0]!.params.data, { kind: 'file', path: f, sha256: createHash('sha256').update('0\t1\n').digest('hex'), minCount: 10, malformed: 'skip' });
  assert.ok(!JSON.stringify(withFile).includes(join(dir, 'cache')), 'no cache path in the params');
}));

const SMALL = ['--synthetic', '1000', '--models', 'fm,deepfm', '--epochs', '1', '--batch-size', '128', '--max-train-rows', '256', '--max-eval-rows', '100'];

test("a small table end to end (recsys: FM, DeepFM with bp, drtp, shallow); table2 then reuses recsys's stored runs (--runs)", () => withTempDir(async (dir) => {
  const io = ['--cache', join(dir, 'cache'), '--runs', join(dir, 'runs')];
  const first = await quietly(() => runCommand(RECSYS_TABLES, [...SMALL, ...io, '--methods', 'bp,drtp,shallow', '--json', join(dir, 'recsys.json'), '--md', join(dir, 'recsys.md')]));
  assert.equal(first.value, 0, first.err.slice(-2000));
  const doc = JSON.parse(readFileSync(join(dir, 'recsys.json'), 'utf8'));
  assert.equal(doc.partial, false);
  assert.deepEqual(doc.rows.map((r: { table: string; model: string; method: string; metric: string }) => `${r.table} ${r.model} ${r.method} ${r.metric}`), [
    'table2 FM bp AUC', 'table2 FM bp log loss', 'table2 DeepFM bp AUC', 'table2 DeepFM bp log loss', 'table2 DeepFM drtp AUC', 'table2 DeepFM drtp log loss',
    'tableA3 DeepFM shallow AUC', 'tableA3 DeepFM shallow log loss']);
  const row = (m: string, metric = 'AUC') => doc.rows.find((r: { model: string; method: string; metric: string }) => r.model === (m === 'fm' ? 'FM' : 'DeepFM') && r.method === (m === 'fm' ? 'bp' : m) && r.metric === metric);
  assert.equal(row('bp').paper, 0.7954);
  assert.equal(row('drtp').paper, null, 'drtp: no paper value');
  assert.match(first.out, /DeepFM +drtp +AUC +0\.\d{4} ± 0\.0000 +1 +— +—/, "printed with '—' for the paper");
  assert.match(row('drtp').note, /lr 5e-5, dropout 0\.5 \(appendix C's DFA setting\)/);
  for (const m of ['fm', 'bp', 'drtp', 'shallow']) assert.ok(row(m).mean > 0.5 && row(m).mean < 1 && Number.isFinite(row(m, 'log loss').mean), `${m}: AUC ${row(m).mean}`);
  assert.deepEqual(readdirSync(join(dir, 'runs', 'recsys')).sort(), ['deepfm_bp_seed0.json', 'deepfm_drtp_seed0.json', 'deepfm_shallow_seed0.json', 'fm_bp_seed0.json']);
  assert.ok(doc.runs['deepfm/drtp/seed0'].result.alignment.length, 'drtp: alignment measured at the MLP points');
  assert.match(readFileSync(join(dir, 'recsys.md'), 'utf8'), /\| table2 \| synthetic-1000 \| DeepFM \| drtp \| AUC \|/);

  const second = await quietly(() => runCommand(TABLE2, [...SMALL, ...io, '--methods', 'bp', '--json', join(dir, 'table2.json')]));
  assert.equal(second.value, 0);
  assert.match(second.err, /table2: reusing 2 of 2 runs stored in .*runs\/recsys/);
  const again = JSON.parse(readFileSync(join(dir, 'table2.json'), 'utf8')).rows;
  assert.deepEqual(again.map((r: { values: number[] }) => r.values), doc.rows.slice(0, 4).map((r: { values: number[] }) => r.values), 'the same numbers, from the stored runs');
}));

test('a run retried after its worker died resumes from its checkpoint folder and ends as a run never stopped', () => withTempDir(async (dir) => {
  const cmd = TABLE2 as Command<OptionTable>;
  const exp = tableExperiment('table2');
  const o = parseOptions(cmd.name, cmd.options, [...SMALL, '--models', 'deepfm', '--methods', 'dfa', '--epochs', '2', '--max-train-rows', '128', '--batch-size', '64', '--max-eval-rows', '60', '--cache', join(dir, 'cache')]).options as Parameters<typeof exp.plan>[0];
  const [spec] = exp.plan(o);
  useCacheDir(join(dir, 'cache')); // what the command's setup does with --cache
  const ck = join(dir, 'ck');
  const ctx = (progress: RunContext['progress'], checkpointDir?: string): RunContext => ({ progress, checkpointDir, log: () => {} });
  // the worker dies in the first step of epoch 2 (after epoch 1's checkpoint)
  await assert.rejects(exp.run(spec!, ctx((f) => { if (f > 0.5) throw new Error('worker killed'); }, ck)), /worker killed/);
  assert.ok(existsSync(join(ck, 'checkpoint-1.bin')), 'epoch 1 was saved');
  const resumed = await exp.run(spec!, ctx(() => {}, ck));
  const straight = await exp.run(spec!, ctx(() => {}));
  assert.equal(resumed.resumed, true);
  assert.equal(straight.resumed, false);
  const numbers = (r: RecsysRunSummary) => [r.valAucs, r.val, r.test, r.bestEpoch, r.epochs, r.trainLoss, r.alignment];
  assert.deepEqual(numbers(resumed), numbers(straight));
  useCacheDir(undefined);
}));

test('bad data fails each run by name (file and line, or the split without both classes) and the table exits 3 unless --allow-skip', () => withTempDir(async (dir) => {
  const bad = join(dir, 'allbad.tsv');
  writeFileSync(bad, 'garbage\nmore garbage\n');
  const io = ['--models', 'fm', '--epochs', '1', '--cache', join(dir, 'cache'), '--json', join(dir, 'r.json')];
  const a = await quietly(() => runCommand(TABLE2, ['--data', bad, ...io]));
  assert.equal(a.value, 3);
  const doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  assert.match(doc.runs['fm/bp/seed0'].error, /allbad\.tsv: no valid Criteo rows \(all 2 non-blank lines are malformed; line 1: expected 40 tab-separated fields, got 1\)/);
  assert.match(doc.rows[0].note, /seed 0 failed: .*allbad\.tsv: no valid Criteo rows/);
  assert.match(a.err, /1 run\(s\) failed or were skipped: fm\/bp\/seed0/);
  // valid rows, but never a click: no AUC can be computed on any split
  const noClick = join(dir, 'noclick.tsv');
  writeFileSync(noClick, Array.from({ length: 60 }, (_, i) => ['0', ...Array.from({ length: 13 }, () => String(i % 7)), ...Array.from({ length: 26 }, () => (i % 5).toString(16))].join('\t')).join('\n') + '\n');
  const b = await quietly(() => runCommand(TABLE2, ['--data', noClick, ...io, '--allow-skip']));
  assert.equal(b.value, 0, '--allow-skip accepts the table with the cell missing');
  const err = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).runs['fm/bp/seed0'].error;
  assert.match(err, /noclick\.tsv: 60 valid row\(s\); the validation split has 0 click\(s\) and \d+ non-click\(s\).*ROC AUC needs both/, 'refused before training, naming the file and the split');
  // --malformed error: the run fails deterministically (no retry helps), naming the file and the line
  const oneBad = join(dir, 'onebad.tsv');
  writeFileSync(oneBad, readFileSync(noClick, 'utf8').split('\n').map((l, i) => (i === 4 ? 'not\ta\tcriteo\tline' : l)).join('\n'));
  const exp = tableExperiment('table2');
  const cmd = TABLE2 as Command<OptionTable>;
  const [spec] = exp.plan(parseOptions(cmd.name, cmd.options, ['--data', oneBad, '--malformed', 'error', ...io]).options as Parameters<typeof exp.plan>[0]);
  useCacheDir(join(dir, 'cache'));
  await assert.rejects(exp.run(spec!, { progress: () => {}, log: () => {} }),
    (e: Error & { deterministic?: boolean }) => e.deterministic === true && /onebad\.tsv:5: malformed Criteo line: expected 40 tab-separated fields, got 4/.test(e.message));
  useCacheDir(undefined);
}));
