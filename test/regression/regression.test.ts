/**
 * The numbers of a small configuration of every table, the demo, `dfa train` and the playground,
 * recorded before the one-core redesign (issue 16), must not change. Runs the set in a child
 * process on one thread (threaded reductions sum in another order) and compares every number.
 * Native: bit-identical where the fixture was recorded on a machine of the same fingerprint
 * (CPU, OpenBLAS, Node); elsewhere the native comparison is skipped with the reason, since the
 * addon is built for the local CPU. Plain tfjs cpu (JavaScript): bit-identical everywhere.
 * Re-record (only for a deliberate, explained change): node test/regression/record.mjs
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { hasSharedData } from '../../src/data/paths';
import { machineFingerprint } from './fingerprint';
import type { Numbers } from './run';

const backend = tf.getBackend();
const fixturePath = join(import.meta.dirname, 'fixtures', `${backend}.json`);
const fixture = existsSync(fixturePath) ? (JSON.parse(readFileSync(fixturePath, 'utf8')) as { fingerprint: string; cases: Record<string, Numbers> }) : null;
const skip =
  !hasSharedData('cora') ? 'no shared data (../shared/data)'
    : !fixture ? `no fixture for backend ${backend}`
      : backend === 'native' && fixture.fingerprint !== machineFingerprint() ? `native fixture recorded on '${fixture.fingerprint}', this machine is '${machineFingerprint()}'`
        : false;

test(`regression: every table's small configuration gives the recorded numbers (${backend})`, { skip, timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfa-regression-test-'));
  try {
    const out = join(dir, 'numbers.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'run.ts'), out], {
      env: { ...process.env, DFA_BACKEND: backend, DFA_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `the regression run failed:\n${r.stderr.slice(-3000)}`);
    const got = (JSON.parse(readFileSync(out, 'utf8')) as { cases: Record<string, Numbers> }).cases;
    const want = fixture!.cases;
    assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), 'the same cases ran');
    const diffs: string[] = [];
    for (const [c, nums] of Object.entries(want)) {
      assert.deepEqual(Object.keys(got[c]!).sort(), Object.keys(nums).sort(), `case ${c}: the same cells`);
      for (const [k, v] of Object.entries(nums)) {
        const g = got[c]![k]!;
        if (g.length !== v.length || g.some((x, i) => !Object.is(x, v[i]))) diffs.push(`${c} ${k}: got [${g.join(', ')}], recorded [${v.join(', ')}]`);
      }
    }
    assert.equal(diffs.length, 0, `numbers changed:\n${diffs.slice(0, 20).join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
