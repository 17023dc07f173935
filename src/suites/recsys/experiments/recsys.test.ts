import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../../command/command';
import { hasSharedData, quietly, withTempDir } from '../../../../test/helpers';
import { splitSize } from '../data';
import { runRecsys } from './run';
import { SEARCH } from './search';
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

test('dfa search on the real sample: FM learns, the best validation AUC wins; a second sitting reuses every stored run', { skip: !hasSharedData('criteo') }, () => withTempDir(async (dir) => {
  const argv = ['--model', 'fm', '--lr', '1e-4,3e-3', '--epochs', '1', '--cache', dir, '--runs', join(dir, 'runs'), '--checkpoint', join(dir, 'ck'), '--json', join(dir, 's.json')];
  const first = await quietly(() => runCommand(SEARCH, argv));
  assert.equal(first.value, 0);
  const doc = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
  assert.deepEqual(readdirSync(join(dir, 'ck', 'search')).sort(), ['fm_bp_lr0.0001_dropout0_seed0', 'fm_bp_lr0.003_dropout0_seed0'], 'one checkpoint folder per run');
  assert.equal(doc.points.length, 2);
  assert.equal(doc.best.valAuc, Math.max(...doc.points.map((p: { valAuc: number }) => p.valAuc)));
  assert.ok(doc.best.testAuc > 0.68, `FM on the 9,999-row sample: test AUC ${doc.best.testAuc.toFixed(4)}`);
  assert.match(first.out, /best on validation AUC: lr 0\.003, dropout 0/);
  const again = await quietly(() => runCommand(SEARCH, argv));
  assert.match(again.err, /search: reusing 2 of 2 runs/);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')).rows, doc.rows);
}));
