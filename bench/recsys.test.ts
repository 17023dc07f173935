import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from '../src/command/command';
import { command } from './recsys';

const run = (argv: string[]) => runCommand(command, argv);

test('dfa bench recsys: streams the requested rows, memory at each checkpoint, samples/s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recsys-bench-'));
  const log = console.log, err = console.error;
  console.log = () => {};
  console.error = () => {};
  try {
    const rc = await run(['--rows', '2000', '--stream-rows', '700', '--checkpoints', '200,400', '--models', 'deepfm', '--methods', 'bp,dfa',
      '--batch-sizes', '128', '--cache', dir, '--json', join(dir, 'b.json'), '--no-torch']);
    assert.equal(rc, 0);
    const doc = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'));
    assert.equal(doc.syntheticRows, 2000);
    assert.equal(doc.torch, null);
    assert.equal(doc.torchSkip, 'disabled (--no-torch)');
    assert.deepEqual(doc.results.map((r: { method: string }) => r.method), ['bp', 'dfa']);
    for (const r of doc.results) {
      assert.equal(r.streamedRows, 640); // full batches only: 5 × 128
      assert.equal(r.steps, 5);
      assert.deepEqual(r.snapshots.map((s: { rows: number }) => s.rows), [256, 512, 640]);
      assert.ok(r.samplesPerSec > 0 && r.peakRssMB >= r.snapshots[0].rssMB && r.peakHeapMB > 0);
      assert.equal(r.torchSamplesPerSec, null);
    }
    await assert.rejects(run(['--methods', 'fa']), { name: 'UsageError', message: /--methods must list items of bp, dfa, got 'fa'/ });
  } finally {
    console.log = log;
    console.error = err;
    rmSync(dir, { recursive: true, force: true });
  }
});
