import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    // a byte changed inside the checkpoint's JSON, still valid JSON (the epoch 2 -> 7): its own checksum refuses it
    const index = readFileSync(join(dir, 'checkpoint.json'), 'utf8');
    writeFileSync(join(dir, 'checkpoint.json'), index.replace('\\"epoch\\":2', '\\"epoch\\":7'));
    assert.notEqual(readFileSync(join(dir, 'checkpoint.json'), 'utf8'), index);
    assert.throws(() => store.load(), /checkpoint .*checkpoint\.json does not match its own checksum/);
    // a damaged entry name cannot pass for an older format without checksums
    writeFileSync(join(dir, 'checkpoint.json'), index.replace('"sha256"', '"sha2x6"'));
    assert.throws(() => store.load(), /checkpoint\.json is not a dfa-ts checkpoint index .*found bin,checkpoint,checkpointSha256,epoch,sha2x6/);
    writeFileSync(join(dir, 'checkpoint.json'), index);
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
