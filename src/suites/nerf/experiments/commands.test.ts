import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../../../../test/helpers';
import { runCommand } from '../../../command/command';
import type { RunOutcome } from '../../../command/experiment';
import { UsageError, parseOptions, type OptionTable } from '../../../command/options';
import { render } from '../commands/render';
import { FIG_A1, FIG_A1_COMMAND, sideBySide } from './figA1';
import type { NerfRunParams, NerfRunResult } from './run';
import { TABLE1, TABLE1_COMMAND, TABLE_A5_COMMAND } from './table1';

test('sideBySide: tiles columns with a white gutter', () => {
  const img = (v: number) => new Float32Array(2 * 2 * 3).fill(v);
  const t = sideBySide([[img(0)], [img(0.5)]], 2, 2);
  assert.equal(t.width, 6);
  assert.equal(t.height, 2);
  assert.equal(t.data[0], 0);
  assert.equal(t.data[2 * 3], 1); // gutter
  assert.equal(t.data[4 * 3], 0.5);
});

test('figA1, table1 and render check their arguments before any work (no data is read, nothing is trained)', async () => {
  type Cmd = typeof FIG_A1_COMMAND | typeof TABLE1_COMMAND | typeof render;
  const bad: Array<[Cmd, string[], RegExp]> = [
    [FIG_A1_COMMAND, ['--iters', '20', '--epoch-steps', '7'], /--epoch-steps 7 does not divide --iters 20/],
    [FIG_A1_COMMAND, ['--methods', 'bp,dfx'], /--methods must list items of .*got 'dfx'/],
    [FIG_A1_COMMAND, ['--lr', '0'], /--lr must be > 0/],
    [FIG_A1_COMMAND, ['--data', '/nonexistent/lego'], /--data \/nonexistent\/lego: does not exist/],
    [FIG_A1_COMMAND, ['--methods', 'bp,drtp'], /--methods drtp: drtp is undefined for NeRF: it projects a class target .* NeRF regresses colours and densities/],
    [TABLE1_COMMAND, ['--methods', 'drtp'], /--methods drtp: drtp is undefined for NeRF/],
    [TABLE1_COMMAND, ['--scenes', 'lego,chair'], /--scenes must list items of lego, fern, got 'chair'/],
    [TABLE1_COMMAND, ['--iter', '3'], /unknown option --iter; did you mean --iters\?/],
    [TABLE1_COMMAND, ['--also', 'table3'], /--also must list items of tableA5, got 'table3'/],
    [render, [], /missing <run>/],
    [render, ['/nonexistent/run'], /<run> \/nonexistent\/run: does not exist/],
    [render, ['.', '--scale', '0'], /--scale must be > 0/],
  ];
  for (const [cmd, argv, why] of bad) await assert.rejects(runCommand(cmd, argv), (e: Error) => e instanceof UsageError && why.test(e.message), `${cmd.name} ${argv.join(' ')}`);
});

test('zero and negative budgets are refused by name, before any work (issue 18)', async () => {
  const budgets: Array<[typeof FIG_A1_COMMAND | typeof TABLE1_COMMAND, string[]]> = [
    [FIG_A1_COMMAND, ['iters', 'rays', 'samples', 'factor', 'test-views', 'epoch-steps', 'seeds']],
    [TABLE1_COMMAND, ['iters', 'rays', 'samples', 'importance', 'lego-factor', 'fern-downscale', 'test-views', 'epoch-steps', 'seeds']],
  ];
  for (const [cmd, names] of budgets) {
    for (const name of names) {
      for (const v of ['0', '-3']) {
        await assert.rejects(runCommand(cmd, [`--${name}`, v]), (e: Error) => e instanceof UsageError && e.message.includes(`--${name} must be`), `${cmd.name} --${name} ${v}`);
      }
    }
    for (const name of ['lr', 'lr-dfa']) await assert.rejects(runCommand(cmd, [`--${name}`, '-1e-3']), (e: Error) => e instanceof UsageError && e.message.includes(`--${name} must be > 0`));
    await assert.rejects(runCommand(cmd, ['--noise', '-1']), (e: Error) => e instanceof UsageError && e.message.includes('--noise must be >= 0'));
  }
});

/** A poses_bounds.npy (float64, C order) with the given rows of 17 values. */
function npy(rows: number[][]): Buffer {
  const header = `{'descr': '<f8', 'fortran_order': False, 'shape': (${rows.length}, 17), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  const h = Buffer.from(header + ' '.repeat(pad) + '\n', 'latin1');
  const pre = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
  const data = Buffer.from(Float64Array.from(rows.flat()).buffer);
  return Buffer.concat([pre, h, data]);
}

test('a NaN or a bad bound in a scene file is named, with its file, before any training (issue 18)', async () => {
  await withTempDir(async (dir) => {
    const good = [1, 0, 0, 0, 378, 0, 1, 0, 0, 504, 0, 0, 1, 0, 407, 1.2, 20];
    const fern = join(dir, 'fern');
    mkdirSync(fern);
    writeFileSync(join(fern, 'poses_bounds.npy'), npy([good, good.map((v, i) => (i === 7 ? NaN : v))]));
    await assert.rejects(runCommand(TABLE1_COMMAND, ['--scenes', 'fern', '--fern', fern, '--out', join(dir, 'out')]), /poses_bounds\.npy: pose 1 has a non-finite value \(NaN\) in column 7/);
    writeFileSync(join(fern, 'poses_bounds.npy'), npy([good.map((v, i) => (i === 15 ? -1 : v))]));
    await assert.rejects(runCommand(TABLE1_COMMAND, ['--scenes', 'fern', '--fern', fern, '--out', join(dir, 'out')]), /poses_bounds\.npy: pose 0 has bounds near -1, far 20; need 0 < near < far/);
    const lego = join(dir, 'lego');
    mkdirSync(lego);
    const frame = (m: string) => `{"camera_angle_x": 0.69, "frames": [{"file_path": "./train/r_0", "transform_matrix": ${m}}]}`;
    writeFileSync(join(lego, 'transforms_train.json'), frame('[[1,0,0,0],[0,1,0,0],[0,0,1,1e999],[0,0,0,1]]'));
    writeFileSync(join(lego, 'transforms_test.json'), frame('[[1,0,0,0],[0,1,0,0],[0,0,1,4],[0,0,0,1]]'));
    await assert.rejects(runCommand(FIG_A1_COMMAND, ['--data', lego, '--out', join(dir, 'out')]), /transforms_train\.json frame 0 \(\.\/train\/r_0\): transform_matrix has a non-finite value \(Infinity\) in row 2, column 3/);
  });
});

const parse = <T extends OptionTable>(table: T, argv: string[]) => parseOptions('test', table, argv).options;

test('the plans: one run per method and seed (and scene), ids unique, every setting in JSON params', () => {
  const o = parse(FIG_A1_COMMAND.options, ['--seeds', '2', '--noise', '0.5', '--data', '.']);
  const specs = FIG_A1.plan(o as never);
  assert.deepEqual(specs.map((s) => s.id), ['lego/bp/seed0', 'lego/bp/seed1', 'lego/dfa/seed0', 'lego/dfa/seed1', 'lego/shallow/seed0', 'lego/shallow/seed1']);
  const p = specs[2]!.params as unknown as NerfRunParams;
  assert.deepEqual(JSON.parse(JSON.stringify(p)), p);
  assert.deepEqual({ scene: p.scene, lr: p.lr, noise: p.noise, rays: p.rays, iters: p.iters, precrop: p.precrop, samples: p.model.nSamples, testViews: p.testViews },
    { scene: { name: 'lego', data: '.', factor: 4 }, lr: 1e-3, noise: 0.5, rays: 128, iters: 2500, precrop: 833, samples: 32, testViews: 2 });
  const t = TABLE1.plan(parse(TABLE1_COMMAND.options, ['--iters', '9']) as never);
  assert.deepEqual(t.map((s) => s.id), ['lego/bp/seed0', 'lego/dfa/seed0', 'fern/bp/seed0', 'fern/dfa/seed0']);
  const fern = t[3]!.params as unknown as NerfRunParams;
  assert.deepEqual({ scene: fern.scene, noise: fern.noise, precrop: fern.precrop, imagesPerBatch: fern.imagesPerBatch, testViews: fern.testViews, lr: fern.lr, dual: fern.dual },
    { scene: { name: 'fern', data: null, factor: 12 }, noise: 1, precrop: 0, imagesPerBatch: 8, testViews: null, lr: 1e-4, dual: true });
});

const result = (psnr: number, modelDir: string): RunOutcome<NerfRunResult> => ({
  ok: true,
  result: { psnr, psnrCoarse: psnr - 1, psnrDual: psnr + 0.1, trainPsnr: psnr + 2, seconds: 10, raysPerSec: 100, mlpGflops: 20, gemmPeakGflops: 80, backend: 'native', W: 50, H: 50, views: 2, modelDir, renders: [], rendersDual: [], resumed: false },
});

test('figA1 assembles from the runs it has, and suggests rendering only a model it trained and saved (issue 18)', async () => {
  await withTempDir(async (dir) => {
    const o = parse(FIG_A1_COMMAND.options, ['--out', dir]) as never;
    const saved = join(dir, 'lego-bp-seed0');
    mkdirSync(saved);
    writeFileSync(join(saved, 'checkpoint.json'), '{}');
    const outcomes = new Map<string, RunOutcome<NerfRunResult>>([
      ['lego/bp/seed0', result(20, saved)],
      ['lego/dfa/seed0', { ok: false, error: 'scene lego: cannot read PNG', deterministic: true }],
      ['lego/shallow/seed0', result(11, join(dir, 'lego-shallow-seed0'))], // no model saved there
    ]);
    const a = await FIG_A1.assemble(o, outcomes);
    assert.deepEqual(a.rows.map((r) => [r.method, r.values]), [['bp', [20]], ['dfa', []], ['shallow', [11]]]);
    assert.match(a.rows[1]!.note!, /seed 0 failed: scene lego: cannot read PNG/);
    assert.deepEqual(a.notes!.filter((n) => n.includes('dfa render')), [`trained models under ${dir}/ ('dfa render ${saved}' renders a novel-view path)`]);
    outcomes.delete('lego/bp/seed0');
    assert.equal((await FIG_A1.assemble(o, outcomes)).notes!.some((n) => n.includes('dfa render')), false, 'no model was saved: no hint');
  });
});

test("table1 --also tableA5 (and the tableA5 command) add the per-scene rows beside the paper's Table A.5; table1 alone has none", async () => {
  const outcomes = new Map<string, RunOutcome<NerfRunResult>>([
    ['lego/bp/seed0', result(12, '/x')], ['lego/dfa/seed0', result(11, '/y')], ['fern/bp/seed0', result(15, '/z')], ['fern/dfa/seed0', result(14, '/w')],
  ]);
  const plain = await TABLE1.assemble(parse(TABLE1_COMMAND.options, []) as never, outcomes);
  assert.deepEqual([...new Set(plain.rows.map((r) => r.table))], ['table1']);
  assert.deepEqual(plain.rows.map((r) => `${r.dataset}|${r.model}|${r.method}`), [
    'NeRF-Synthetic lego|NeRF|bp', 'NeRF-Synthetic lego|NeRF-Dual|bp', 'NeRF-Synthetic lego|NeRF|dfa', 'NeRF-Synthetic lego|NeRF-Dual|dfa',
    'LLFF-Real fern|NeRF|bp', 'LLFF-Real fern|NeRF-Dual|bp', 'LLFF-Real fern|NeRF|dfa', 'LLFF-Real fern|NeRF-Dual|dfa',
  ]);
  assert.match(plain.notes![0]!, /lego: BP − DFA = 1\.00 dB \(paper lego 7\.61 dB/);
  const a5 = (await TABLE1.assemble(parse(TABLE_A5_COMMAND.options, []) as never, outcomes)).rows.filter((r) => r.table === 'tableA5');
  assert.deepEqual(a5.map((r) => [r.dataset, r.method, r.mean, r.paper]), [['lego', 'bp', 12, 32.54], ['lego', 'dfa', 11, 24.93], ['fern', 'bp', 15, 25.17], ['fern', 'dfa', 14, 21.82]]);
  assert.match(a5[0]!.note!, /NV 26\.08, SRN 20\.85, LLFF 24\.54/);
});
