import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasSharedData } from '../../../data/paths';
import { resolveData } from '../data/resolve';
import { splitSize } from '../data';
import { runRecsys } from './run';
import { gridSearch } from './search';
import { TINY_MODEL, withSyntheticRows } from './testing';

test('synthetic data: FM and DeepFM (BP and DFA) learn the known click model', () => withSyntheticRows(5000, 1, async (src) => {
    const base = { epochs: 2, batchSize: 256, seed: 0, modelOpts: TINY_MODEL, dropout: 0 };
    const fm = await runRecsys(src, { ...base, model: 'fm', method: 'bp', lr: 2e-2 });
    const bp = await runRecsys(src, { ...base, model: 'deepfm', method: 'bp', lr: 5e-3 });
    // a trajectory point every `total` steps: step 0 and the last step, which must equal the final measurement
    const total = base.epochs * Math.ceil(splitSize(5000, 'train', 0) / base.batchSize);
    const dfa = await runRecsys(src, { ...base, model: 'deepfm', method: 'dfa', lr: 5e-3, alignment: true, alignEvery: total });
    for (const [n, r] of [['fm', fm], ['deepfm/bp', bp], ['deepfm/dfa', dfa]] as const) {
      assert.ok(r.test.auc > 0.6, `${n}: test AUC ${r.test.auc.toFixed(4)} should be well above chance`);
      assert.ok(Number.isFinite(r.test.logLoss) && r.test.logLoss < 0.69, `${n}: log loss ${r.test.logLoss}`);
    }
    const h1 = dfa.alignment?.find((a) => a.name === 'mlp.h1');
    assert.ok(h1 && h1.n > 0 && Math.abs(h1.mean) <= 1, 'DFA alignment measured at the MLP points');
    assert.deepEqual(dfa.alignmentTrajectory?.map((p) => p.step), [0, total]);
    assert.deepEqual(dfa.alignmentTrajectory![1]!.stats, dfa.alignment, 'the last trajectory point is the final alignment');
    assert.ok(Math.abs(dfa.alignmentTrajectory![0]!.stats[0]!.mean - h1.mean) > 1e-3, 'training moved the alignment');
}));

test("Deep&Cross alignment: the cross layers' scalar x·w (the paper's measure) is a sign agreement", () => withSyntheticRows(3000, 2, async (src) => {
    const r = await runRecsys(src, { epochs: 1, batchSize: 256, seed: 0, modelOpts: TINY_MODEL, dropout: 0, model: 'dcn', method: 'dfa', lr: 5e-3, alignment: true });
    const names = r.alignment!.map((a) => a.name);
    for (const k of [1, 2]) {
      const v = r.alignment!.find((a) => a.name === `cross${k}`)!;
      const xw = r.alignment!.find((a) => a.name === `cross${k}.xw`)!;
      assert.ok(v && xw, `cross${k} and cross${k}.xw measured (got ${names})`);
      // per-sample values of ±1 have population std exactly sqrt(1 − mean²)
      assert.ok(xw.n > 0 && Math.abs(xw.std ** 2 + xw.mean ** 2 - 1) < 1e-4, `cross${k}.xw: mean ${xw.mean}, std ${xw.std}`);
      assert.ok(Math.abs(v.std ** 2 + v.mean ** 2 - 1) > 0.05, `cross${k} (the whole vector) is a real cosine, not ±1`);
    }
}));

test('real sample: FM learns; grid search picks the best validation AUC', { skip: !hasSharedData('criteo') }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'recsys-'));
  try {
    const { data } = await resolveData({ cacheDir: dir });
    const src = data.open();
    const base = { model: 'fm', method: 'bp', epochs: 2, batchSize: 256, seed: 0, modelOpts: { embedDim: 4 } } as const;
    const ck = join(dir, 'ck');
    const res = await gridSearch(src, base, { lr: [1e-4, 3e-3], dropout: [0] }, undefined, ck);
    assert.deepEqual(readdirSync(ck).sort(), ['fm-bp-lr0.0001-dropout0-seed0', 'fm-bp-lr0.003-dropout0-seed0']);
    // run again: every configuration resumes finished from its checkpoint, same results
    const again = await gridSearch(src, base, { lr: [1e-4, 3e-3], dropout: [0] }, undefined, ck);
    src.close();
    assert.deepEqual(again.points.map((p) => [p.valAuc, p.testAuc, p.bestEpoch]), res.points.map((p) => [p.valAuc, p.testAuc, p.bestEpoch]));
    assert.equal(res.points.length, 2);
    assert.equal(res.best.valAuc, Math.max(...res.points.map((p) => p.valAuc)));
    assert.ok(res.best.testAuc > 0.68, `FM on the 9,999-row sample: test AUC ${res.best.testAuc.toFixed(4)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
