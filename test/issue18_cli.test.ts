/**
 * Issue 18 reproductions through the CLI's main that cross the suites (the suites' own tests are
 * changed on other branches): an all-bad or nearly all-bad Criteo file is refused naming the file
 * before training (it ended in a bare ROC AUC error); figA1 suggests rendering only a model it
 * trained and saved (it named lego-dfa-seed0 whatever --methods said).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasSharedData, withTempDir } from './helpers';
import { main } from '../src/cli/main';
import { SyntheticCriteo } from '../src/suites/recsys/data';

/** main(argv) with its output captured: exit code, stdout and stderr. */
async function dfa(...argv: string[]): Promise<{ rc: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { error: console.error, log: console.log, warn: console.warn };
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.warn = () => {};
  try {
    return { rc: await main(argv), out: out.join('\n'), err: err.join('\n') };
  } finally {
    Object.assign(console, saved);
  }
}

test('reproduce table2 on an all-bad or nearly all-bad Criteo file: its runs fail naming the file (exit 3), no ROC AUC error', () => withTempDir(async (dir) => {
  const good = [...new SyntheticCriteo({ seed: 1 }).rows(0, 3)].map((r) => r.line);
  const garbage = Array.from({ length: 100 }, () => 'garbage line');
  for (const [name, lines, message] of [
    ['allbad.tsv', garbage, /allbad\.tsv: no valid Criteo rows/],
    ['few.tsv', [...good, ...garbage], /few\.tsv: 3 valid row\(s\) \(100 malformed line\(s\) skipped\); the (validation|test) split has .*ROC AUC needs both/],
  ] as const) {
    const f = join(dir, name);
    writeFileSync(f, lines.join('\n') + '\n');
    const r = await dfa('reproduce', 'table2', '--data', f, '--cache', join(dir, 'cache'), '--models', 'fm', '--epochs', '1');
    assert.equal(r.rc, 3, r.err);
    assert.match(r.err, message);
    assert.doesNotMatch(r.err, /rocAuc/);
  }
}));

test('figA1 --methods shallow suggests rendering the shallow model it saved, not a DFA model it never trained', { skip: !hasSharedData('nerf/lego_200') && 'no shared lego' }, () => withTempDir(async (dir) => {
  const out = join(dir, 'figA1');
  const r = await dfa('reproduce', 'figA1', '--iters', '2', '--rays', '16', '--samples', '8', '--factor', '8', '--test-views', '1', '--methods', 'shallow', '--out', out);
  assert.equal(r.rc, 0, r.err);
  const hint = /dfa render (\S+?)[')]/.exec(r.out);
  assert.ok(hint, `no render hint in: ${r.out}`);
  assert.match(hint[1]!, /shallow/);
  assert.ok(existsSync(hint[1]!), `the hint names ${hint[1]}, which does not exist`);
}));
