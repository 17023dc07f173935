import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../src/cli/main';
import type { LazyCommand } from '../src/suites/types';
import { subcommands } from './command';

const bench: LazyCommand = { summary: 'benchmarks', load: () => import('./command') };

/** main(argv) with `dfa bench` added as bin/dfa.mjs adds it: exit code, stdout, stderr. */
async function dfa(...argv: string[]): Promise<{ rc: number; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const saved = { log: console.log, error: console.error };
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    return { rc: await main(argv, { bench }), out: out.join('\n'), err: err.join('\n') };
  } finally {
    Object.assign(console, saved);
  }
}

test('dfa bench without a benchmark, or with an unknown one, lists the benchmarks and exits 2', async () => {
  for (const argv of [['bench'], ['bench', 'nope'], ['bench', 'toString'], ['bench', '--json', 'x.json']]) {
    const r = await dfa(...argv);
    assert.equal(r.rc, 2, argv.join(' '));
    for (const name of Object.keys(subcommands)) assert.match(r.err, new RegExp(`^  ${name} `, 'm'), `${argv.join(' ')} lists ${name}`);
  }
  assert.match((await dfa('bench', 'nope')).err, /unknown benchmark 'nope'/);
  const h = await dfa('bench', '--help');
  assert.equal(h.rc, 0);
  assert.match(h.out, /^  queue /m);
});

test('dfa bench <name> --help is the help generated from its option table', async () => {
  for (const [name, entry] of Object.entries(subcommands)) {
    const r = await dfa('bench', name, '--help');
    assert.equal(r.rc, 0, name);
    assert.match(r.out, new RegExp(`^usage: dfa bench ${name} \\[options\\]`), name);
    for (const opt of Object.keys((await entry.load()).options)) assert.match(r.out, new RegExp(`^  --${opt}\\b`, 'm'), `${name} --help lists --${opt}`);
  }
  assert.match((await dfa('bench', 'mlp', '--help')).out, /--windows N\s+timed windows \(the median is reported\) \(default 9\)/);
});
