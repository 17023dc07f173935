#!/usr/bin/env node
// Re-records only the named cases in test/regression/fixtures/<backend>.json (both backends), for a
// deliberate, explained change of numbers in those cases; every other case stays as recorded.
//   node test/regression/rerecord_cases.mjs CASE [CASE ...]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = import.meta.dirname;
const names = process.argv.slice(2);
if (!names.length) throw new Error('usage: rerecord_cases.mjs CASE [CASE ...]');
const dir = mkdtempSync(join(tmpdir(), 'dfa-rerecord-'));
try {
  for (const b of ['native', 'cpu']) {
    const path = join(here, 'fixtures', `${b}.json`);
    const fixture = JSON.parse(readFileSync(path, 'utf8'));
    const want = names.filter((n) => n in fixture.cases);
    if (!want.length) continue;
    const out = join(dir, `${b}.json`);
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'run.ts'), out, ...want], {
      env: { ...process.env, DFA_BACKEND: b, DFA_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
    const got = JSON.parse(readFileSync(out, 'utf8')).cases;
    for (const n of want) fixture.cases[n] = got[n];
    writeFileSync(path, JSON.stringify(fixture, null, 1) + '\n');
    console.error(`re-recorded ${want.join(', ')} in ${path}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
