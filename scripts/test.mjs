#!/usr/bin/env node
// The test command (npm test): type-check, then every *.test.ts under src/, test/ and bench/
// with Node's test runner, on the native backend and again on the plain tfjs cpu backend.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const noTypecheck = args.includes('--no-typecheck');
const only = args.filter((a) => !a.startsWith('--'));

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function run(cmd, argv, env) {
  console.log(`\n$ ${env?.DFA_BACKEND ? `DFA_BACKEND=${env.DFA_BACKEND} ` : ''}${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!noTypecheck) run('npx', ['tsc', '--noEmit', '-p', '.']);

const files = (only.length ? only : ['src', 'test', 'bench', 'examples'].flatMap((d) => findTests(d))).sort();
// Two test files at a time (Node's default on 2 cores is one): most files are one JS thread.
const concurrency = process.env.DFA_TEST_CONCURRENCY ?? String(Math.max(2, (await import('node:os')).availableParallelism() - 1));
const nodeArgs = ['--import', 'tsx', '--import', './test/setup.ts', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files];
const backends = process.env.DFA_BACKEND ? [process.env.DFA_BACKEND] : ['native', 'cpu'];
for (const b of backends) run(process.execPath, nodeArgs, { DFA_BACKEND: b });
