import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedData } from '../../../data/paths';
import { runCommand } from '../../../command/command';
import { TABLE2 } from './tables';

test('dfa reproduce table2 (FM only, 1 epoch at 10× the paper\'s rate): rows beside the paper, JSON and Markdown written', { skip: !hasSharedData('criteo') }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recsys-'));
  const log = console.log;
  const err = console.error;
  let printed = '';
  console.log = (s: unknown) => { printed += String(s) + '\n'; };
  console.error = () => {};
  try {
    const rc = await runCommand(TABLE2, ['--models', 'fm', '--epochs', '1', '--lr-scale', '10', '--cache', dir, '--json', join(dir, 'r.json'), '--md', join(dir, 'r.md')]);
    assert.equal(rc, 0);
    const doc = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    const auc = doc.rows.find((r: { metric: string }) => r.metric === 'AUC');
    assert.equal(auc.paper, 0.7915);
    assert.ok(auc.mean > 0.6 && auc.mean < 1, `FM AUC ${auc.mean}`);
    assert.match(auc.note, /paper: 45M rows/);
    assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /\| table2 \| criteo-sample \| FM \| bp \| AUC \|/);
    assert.match(printed, /0\.7915/);
    await assert.rejects(runCommand(TABLE2, ['--bogus', '1']), /unknown option --bogus/);
  } finally {
    console.log = log;
    console.error = err;
    rmSync(dir, { recursive: true, force: true });
  }
});
