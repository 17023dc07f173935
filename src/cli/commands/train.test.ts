/**
 * `dfa train` through the CLI's main, as issue 18 reproduced it: a reused run folder with other
 * settings is refused naming each difference (config.json untouched); a damaged checkpoint names
 * its file; a network too large to allocate, too few examples and a zero budget are refused by
 * name with exit 2 and nothing written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withTempDir } from '../../../test/helpers';
import { main } from '../main';

/** main(argv) with its output captured: exit code and stderr. */
async function dfa(...argv: string[]): Promise<{ rc: number; err: string }> {
  const err: string[] = [];
  const saved = { error: console.error, log: console.log, warn: console.warn };
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  console.log = () => {};
  console.warn = () => {};
  try {
    return { rc: await main(argv), err: err.join('\n') };
  } finally {
    Object.assign(console, saved);
  }
}

test('dfa train into a copied run folder with another --lr or --n: refused naming each setting, config.json unchanged', () => withTempDir(async (dir) => {
  const x = join(dir, 'X');
  assert.equal((await dfa('train', 'rings', '--method', 'dfa', '--epochs', '2', '--n', '200', '--out', x)).rc, 0);
  const y = join(dir, 'Y');
  cpSync(x, y, { recursive: true });
  const config = readFileSync(join(y, 'config.json'), 'utf8');
  const lr = await dfa('train', 'rings', '--method', 'dfa', '--epochs', '5', '--n', '200', '--lr', '0.5', '--out', y);
  assert.equal(lr.rc, 1);
  assert.match(lr.err, /checkpoint in .*Y is of another run \(optimizer\.lr: 0\.01 there, 0\.5 here\)/);
  const n = await dfa('train', 'rings', '--method', 'dfa', '--epochs', '5', '--n', '400', '--out', y);
  assert.equal(n.rc, 1);
  assert.match(n.err, /is of another run \(train: 120 there, 240 here; val: 40 there, 80 here; test: 40 there, 80 here\)/);
  assert.equal(readFileSync(join(y, 'config.json'), 'utf8'), config);
  // the same settings resume (and --epochs may grow)
  assert.equal((await dfa('train', 'rings', '--method', 'dfa', '--epochs', '3', '--n', '200', '--out', y)).rc, 0);
  // a damaged checkpoint.json names its file
  writeFileSync(join(x, 'checkpoint.json'), '{"bin": "checkpoint-2.bin", "checkp');
  const bad = await dfa('train', '--resume', x);
  assert.equal(bad.rc, 1);
  assert.match(bad.err, /\ndfa: checkpoint .*X\/checkpoint\.json is not valid JSON/);
}));

test('dfa train: a network too large, too few examples and a zero budget are refused by name (exit 2), nothing written', () => withTempDir(async (dir) => {
  const cases: [string[], RegExp][] = [
    [['--hidden', '100000,100000'], /--hidden item must be <= 65536, got 100000/],
    [['--hidden', '65536,65536'], /--hidden 65536,65536: the network would have 4,295,819,267 parameters .*at most 200,000,000/],
    [['--n', '3'], /--n must be >= 20, got 3/],
    [['--epochs', '0'], /--epochs must be >= 1, got 0/],
  ];
  for (const [args, message] of cases) {
    const out = join(dir, 'run');
    const r = await dfa('train', 'rings', '--method', 'dfa', ...args, '--out', out);
    assert.deepEqual([r.rc, message.test(r.err)], [2, true], `${args.join(' ')}: exit ${r.rc}: ${r.err}`);
    assert.ok(!existsSync(out), `${args.join(' ')} left ${out} behind`);
  }
}));
