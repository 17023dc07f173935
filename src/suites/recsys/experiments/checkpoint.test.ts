import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packFloat32Json, unpackFloat32Json } from '../../../train/checkpoint';
import { Trainer } from '../../../train/trainer';
import { MemoryRowSource } from '../data';
import { TINY_MODEL, withSyntheticRows } from './testing';
import { runRecsys, type RecsysRunConfig } from './run';
import { RecsysTask, type RecsysTaskConfig } from './task';

test('recsys checkpoint: a run stopped after epoch 1 and resumed ends with the numbers of a run never stopped', () => withSyntheticRows(5000, 1, async (src, dir) => {
    // DFA (a feedback matrix), dropout (the Rng), BatchNorm (running statistics), sparse tables (Adam moments)
    const cfg: RecsysRunConfig = { model: 'deepfm', method: 'dfa', lr: 5e-3, dropout: 0.2, epochs: 3, batchSize: 256, seed: 3, modelOpts: TINY_MODEL, alignment: true };
    const straight = await runRecsys(src, cfg);
    const ck = join(dir, 'ck');
    const first = await runRecsys(src, { ...cfg, epochs: 1, checkpointDir: ck });
    assert.equal(first.epochs, 1);
    assert.deepEqual(first.valAucs, straight.valAucs.slice(0, 1));
    assert.deepEqual(readdirSync(ck).sort(), ['checkpoint-1.bin', 'checkpoint.json']);
    const resumed = await runRecsys(src, { ...cfg, checkpointDir: ck });
    assert.deepEqual(resumed.valAucs, straight.valAucs, 'validation AUC of every epoch');
    assert.deepEqual([resumed.test, resumed.val, resumed.bestEpoch, resumed.epochs, resumed.trainLoss], [straight.test, straight.val, straight.bestEpoch, 3, straight.trainLoss]);
    assert.deepEqual(resumed.alignment, straight.alignment, 'the final model: alignment measured on it is the same');
    assert.deepEqual(readdirSync(ck).sort(), ['checkpoint-3.bin', 'checkpoint.json'], 'only the last checkpoint is kept');

    // a finished run resumed trains nothing and reports the same
    const again = await runRecsys(src, { ...cfg, checkpointDir: ck });
    assert.deepEqual([again.test, again.valAucs, again.alignment], [straight.test, straight.valAucs, straight.alignment]);

    // every setting that differs is named (the Trainer's settings: its own and the task's describe())
    await assert.rejects(runRecsys(src, { ...cfg, lr: 1e-3, dropout: 0.1, checkpointDir: ck }),
      /is of another run \(optimizer\.lr: 0\.005 there, 0\.001 here; .*dropout: 0\.2 there, 0\.1 here\)/);
    await assert.rejects(runRecsys(src, { ...cfg, model: 'afn', checkpointDir: ck }), /task: 'recsys-deepfm' there, 'recsys-afn' here; .*model: 'deepfm' there, 'afn' here/);
    const bin = join(ck, 'checkpoint-3.bin');
    truncateSync(bin, statSync(bin).size - 400);
    await assert.rejects(runRecsys(src, { ...cfg, checkpointDir: ck }), /checkpoint-3\.bin does not match the checksum in .*checkpoint\.json \(damaged or truncated file\)/);
}));

test('recsys task state: tables, their Adam moments and the BatchNorm statistics round-trip; a table of another shape is named', () => {
  const dims = [5, 7, 3];
  const src = new MemoryRowSource(new Int32Array(0), dims);
  const cfg = (seed: number, embedDim = 4): RecsysTaskConfig => ({ model: 'afn', modelOpts: { ...TINY_MODEL, embedDim, seed }, seed, batchSize: 4, splitSeed: 0, weightDecay: 0 });
  const a = new RecsysTask(src, cfg(1)), b = new RecsysTask(src, cfg(2)), wide = new RecsysTask(src, cfg(1, 5));
  const trainer = new Trainer(a, { method: 'dfa', seed: 1, epochs: 1, optimizer: { name: 'adam', lr: 1e-2 } });
  try {
    trainer.trainOn({ x: Int32Array.from([0, 1, 2, 4, 6, 0, 1, 1, 1, 3, 0, 2]), y: Float32Array.from([1, 0, 1, 0]), size: 4 });
    const { json, bin } = packFloat32Json(a.getState()); // as a checkpoint stores it
    const saved = unpackFloat32Json(json, bin);
    assert.notDeepEqual(b.getState(), a.getState());
    b.setState(saved);
    assert.deepEqual(b.getState(), a.getState());
    assert.ok(a.getState().sparseAdam.tables.embedding!.t === 1, 'the Adam step count is kept');
    assert.throws(() => wide.setState(saved), /saved table is \[15, 4\], this one \[15, 5\]/);
  } finally {
    trainer.dispose();
    [a, b, wide].forEach((t) => t.dispose());
  }
});
