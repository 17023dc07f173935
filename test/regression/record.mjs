#!/usr/bin/env node
// Records test/regression/fixtures/<backend>.json for the native and the cpu backend (one thread).
// Only for a deliberate, explained change of numbers: say which and why in the commit message.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
mkdirSync(join(here, 'fixtures'), { recursive: true });
const backends = process.argv.slice(2).length ? process.argv.slice(2) : ['native', 'cpu'];
for (const b of backends) {
  const out = join(here, 'fixtures', `${b}.json`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'run.ts'), out], {
    env: { ...process.env, DFA_BACKEND: b, DFA_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const fp = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./test/regression/fingerprint.ts').then((m) => console.log(m.machineFingerprint()))"], { encoding: 'utf8' }).stdout.trim();
  const j = JSON.parse(readFileSync(out, 'utf8'));
  writeFileSync(out, JSON.stringify({ backend: b, fingerprint: fp, recorded: new Date().toISOString(), cases: j.cases }, null, 1) + '\n');
  console.error(`recorded ${out}`);
}
