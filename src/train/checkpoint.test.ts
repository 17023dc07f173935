import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TASKS } from '../tasks';
import { FileCheckpointStore } from './checkpoint_fs';
import { train } from './trainer';

test('file checkpoints: exact round trip, one binary kept, resume through files, truncation detected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dfa-ckpt-'));
  try {
    const cfg = { method: 'fa' as const, seed: 1, epochs: 2, optimizer: { name: 'adam' as const, lr: 1e-2 } };
    const mk = () => TASKS.rings!.create({ seed: 1, n: 200, hidden: [8], batchSize: 50 });
    const a = mk();
    const store = new FileCheckpointStore(dir);
    await train(a, cfg, { store, stopAfterEpoch: 1 });
    await train(a, { ...cfg }, { store }); // resumes at epoch 1 in the same process
    const c = store.load()!;
    assert.equal(c.epoch, 2);
    assert.deepEqual(c.weights['fc1.W']!.data, a.namedVariables()['fc1.W']!.dataSync());
    assert.ok(Object.keys(c.feedback.fa).length === 2 && c.optimizer.slots['out.W']!.m);
    assert.deepEqual(readdirSync(dir).sort(), ['checkpoint-2.bin', 'checkpoint.json']);
    const b = mk();
    await assert.rejects(train(b, { ...cfg, method: 'dfa' }, { store }), /checkpoint in .* is of another run \(method: 'fa' there, 'dfa' here\)/);
    writeFileSync(join(dir, 'checkpoint-2.bin'), new Uint8Array(16));
    assert.throws(() => store.load(), /checkpoint-2.bin does not match the checksum in .*checkpoint.json/);
    writeFileSync(join(dir, 'checkpoint.json'), '{"bin": "checkpoint-2.bin", "checkp');
    assert.throws(() => store.load(), /checkpoint .*checkpoint.json is not valid JSON/);
    a.dispose();
    b.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
