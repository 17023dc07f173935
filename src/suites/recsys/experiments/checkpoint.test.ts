import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TINY_MODEL, withSyntheticRows } from './testing';
import { runRecsys, type RecsysRunConfig } from './run';
import { createRecsysModel } from '../models';
import { getRecsysState, setRecsysState } from '../../../models/recsys/state';

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

    await assert.rejects(runRecsys(src, { ...cfg, lr: 1e-3, dropout: 0.1, checkpointDir: ck }), /is of another run: lr 0\.005 there, 0\.001 here; dropout 0\.2 there, 0\.1 here/);
    const bin = join(ck, 'checkpoint-3.bin');
    truncateSync(bin, statSync(bin).size - 400);
    await assert.rejects(runRecsys(src, { ...cfg, checkpointDir: ck }), /shorter than its index says \(truncated file\?\)/);
}));

test('recsys model state: restores into a model of the same kind, names what does not fit', () => {
  const dims = [5, 7, 3];
  const a = createRecsysModel('afn', dims, { ...TINY_MODEL, seed: 1 });
  const b = createRecsysModel('afn', dims, { ...TINY_MODEL, seed: 2 });
  const c = createRecsysModel('deepfm', dims, { ...TINY_MODEL, seed: 1 });
  const wide = createRecsysModel('afn', dims, { ...TINY_MODEL, lnnDim: 9, seed: 1 });
  try {
    const s = getRecsysState(a);
    assert.notDeepEqual(getRecsysState(b).vars['lnn.W']!.data, s.vars['lnn.W']!.data);
    setRecsysState(b, s);
    assert.deepEqual(getRecsysState(b), getRecsysState(a));
    assert.throws(() => setRecsysState(c, s), /saved state is of a afn model, this one is deepfm/);
    assert.throws(() => setRecsysState(wide, s), /'lnn\.\w+' is \[[\d,]+\], the model's is \[[\d,]+\]/);
  } finally {
    [a, b, c, wide].forEach((m) => m.dispose());
  }
});
