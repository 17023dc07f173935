import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { scheduledLr } from '../../../optim/schedule';
import { MemoryCheckpointStore } from '../../../train/checkpoint';
import { FileCheckpointStore } from '../../../train/checkpoint_fs';
import { Trainer, train, type TrainConfig, type TrainResult } from '../../../train/trainer';
import { withTempDir } from '../../../../test/helpers';
import { CharTokenizer } from '../data/char_tokenizer';
import { LmDataset } from '../data/lm_dataset';
import type { GptConfig } from '../models/gpt';
import { loadSavedLm, saveRunTokenizer } from '../models/saved';
import { generateTokens, sampleToken } from '../models/sample';
import { lmMethod, PAPER_NOAM_PEAK, TABLE5, type LmMethod } from '../paper';
import { evaluateNll, LmTask } from './lm_task';
import { orderingChecks } from './orderings';

test("Table 5's rates: the schedule's peak is the paper's 6.99e-4, the cells keep the paper's ratios 14 : 1 : 2", () => {
  assert.ok(Math.abs(PAPER_NOAM_PEAK - 1 / Math.sqrt(512 * 4000)) < 1e-12);
  const cell = (id: string) => TABLE5.find((c) => c.id === id)!.optim({ lrScale: 20, warmup: 10 });
  const base = cell('macro-baseline'), adam = cell('macro-adam'), plateau = cell('macro-plateau');
  assert.ok(Math.abs(base.optimizer.lr / adam.optimizer.lr - 13.98) < 0.01);
  assert.equal(plateau.optimizer.lr / adam.optimizer.lr, 2);
  // warm-up then inverse sqrt, by its peak: linear to the peak at step 10, then 1/sqrt(t)
  assert.equal(scheduledLr(base.schedule, 5, 1), 0.5);
  assert.equal(scheduledLr(base.schedule, 10, 1), 1);
  assert.ok(Math.abs(scheduledLr(base.schedule, 40, 1) - 0.5) < 1e-12);
  assert.deepEqual(plateau.schedule, { kind: 'plateau', factor: 0.2, patience: 1, threshold: 1e-4 });
  assert.deepEqual([base.optimizer.beta2, cell('macro-beta2').optimizer.beta2, plateau.optimizer.beta2], [0.98, 0.999, 0.999]);
});

// A corpus with structure a 2-layer model learns in a few dozen steps: repeated phrases.
const TEXT = Array.from({ length: 300 }, (_, i) => ['the cat sat. ', 'a dog ran! ', 'we eat fish. '][i % 3]).join('');
const tok = CharTokenizer.train(TEXT);
const ids = tok.encode(TEXT);
const trainSet = new LmDataset(ids.subarray(0, 3000), 16);
const validSet = new LmDataset(ids.subarray(3000), 16);
const testSet = new LmDataset(ids.subarray(3000, 3500), 16);
const EVAL_CHUNKS = 64;
const CFG: GptConfig = { vocab: tok.vocabSize, ctx: 16, d: 32, layers: 2, heads: 2, ffn: 64, dropout: 0, preLN: false };

const task = (method: LmMethod, o: { model?: Partial<GptConfig>; evalChunks?: number } = {}) =>
  new LmTask({
    model: { ...CFG, ...o.model }, seed: 1, train: trainSet, valid: validSet, test: testSet, batch: 8, evalChunks: o.evalChunks ?? EVAL_CHUNKS,
    granularity: lmMethod(method).granularity, errorAt: 'before', dfaEmbed: false, data: 'phrases, char',
  });
const config = (method: LmMethod, epochs = 3): TrainConfig => ({
  method: lmMethod(method).method, seed: 1, epochs, stepsPerEpoch: 15, optimizer: { name: 'adam', lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
  clipNorm: 1, keepBest: true, testWhen: 'best',
});

/** One BP run shared by the tests below, its last checkpoint kept in memory. */
let bpRun: { t: LmTask; start: number; r: TrainResult; store: MemoryCheckpointStore } | null = null;
async function trainedBp() {
  if (!bpRun) {
    const t = task('bp');
    const start = Math.exp(evaluateNll(t.model, validSet, 8, EVAL_CHUNKS));
    const store = new MemoryCheckpointStore();
    bpRun = { t, start, store, r: await train(t, config('bp'), { store }) };
  }
  return bpRun;
}

test('the core loop trains the LM: validation perplexity falls under BP and DFA macro, the best epoch kept', async () => {
  const before = tf.memory().numTensors;
  const bp = await trainedBp();
  assert.ok(bp.start > 10, `untrained ppl ${bp.start}`);
  assert.ok(bp.r.bestVal < bp.start / 3, `bp: ${bp.start.toFixed(1)} -> ${bp.r.bestVal.toFixed(1)}`);
  assert.equal(bp.r.bestVal, Math.min(...bp.r.epochs.map((e) => e.val!.metric)));
  assert.equal(bp.r.epochs.at(-1)!.step, 45, 'three epochs of 15 steps');
  assert.ok(bp.r.bestWeights && Object.keys(bp.r.bestWeights).length === bp.t.model.params.size);
  const macro = task('macro');
  const start = Math.exp(evaluateNll(macro.model, validSet, 8, EVAL_CHUNKS));
  const r = await train(macro, config('macro'));
  assert.ok(r.bestVal < start / 2, `macro: ${start.toFixed(1)} -> ${r.bestVal.toFixed(1)}`);
  macro.dispose();
  assert.ok(tf.memory().numTensors - before <= bp.t.model.params.size + 2, `leaked ${tf.memory().numTensors - before} tensors`);
});

test('a run stopped after an epoch resumes to the numbers of a run never stopped (batch stream mid-pass, dropout, feedback)', async () => {
  const small = () => task('micro', { model: { d: 16, ffn: 32, layers: 1, dropout: 0.1 }, evalChunks: 16 });
  const full = small();
  const whole = await train(full, config('micro', 2));
  full.dispose();
  const store = new MemoryCheckpointStore();
  const first = small();
  await train(first, config('micro', 2), { store, stopAfterEpoch: 1 });
  first.dispose();
  // 23 batches per pass: epoch 2 starts mid-pass and crosses into the next one
  assert.equal(Math.floor(trainSet.numChunks / 8), 23);
  const second = small();
  const trainer = new Trainer(second, config('micro', 2), { store });
  assert.ok(trainer.resumed && trainer.epoch === 1);
  const resumed = await trainer.run();
  trainer.dispose();
  second.dispose();
  assert.deepEqual(resumed.epochs.map((e) => [e.trainLoss, e.val!.metric, e.lr]), whole.epochs.map((e) => [e.trainLoss, e.val!.metric, e.lr]));
  const other = small();
  assert.throws(() => new Trainer(other, { ...config('micro', 2), clipNorm: 0.5 }, { store }), /clipNorm: 1 there, 0.5 here/);
  other.dispose();
});

test('a saved run loads back with its best weights; sampling is seeded and honours top-k / temperature', async () => {
  const { t, r, store } = await trainedBp();
  await withTempDir(async (dir) => {
    new FileCheckpointStore(dir).save(store.load()!); // the folder a run with --save leaves
    saveRunTokenizer(dir, tok);
    const back = loadSavedLm(dir);
    assert.equal(back.epoch, r.bestEpoch);
    assert.equal(back.bestValidPpl, r.bestVal);
    for (const [n, v] of back.model.params) assert.deepEqual(v.dataSync(), r.bestWeights![n], `${n} is the best epoch's`);
    assert.equal(Math.exp(evaluateNll(back.model, validSet, 8, EVAL_CHUNKS)), r.bestVal, 'the same perplexity as at its best epoch');
    const prompt = tok.encode('the c');
    const a = generateTokens(back.model, prompt, { maxTokens: 6, temperature: 0.8, topK: 5, rng: new Rng(3) });
    const b = generateTokens(back.model, prompt, { maxTokens: 6, temperature: 0.8, topK: 5, rng: new Rng(3) });
    assert.deepEqual(a, b);
    back.model.dispose();
    writeFileSync(join(dir, `checkpoint-${r.epochs.length}.bin`), Buffer.alloc(6));
    assert.throws(() => loadSavedLm(dir), /truncated/);
    assert.throws(() => loadSavedLm(join(dir, 'nothing')), /not a saved language model/);
  });
  // the last epoch's weights, greedily
  assert.equal(tok.decode(generateTokens(t.model, tok.encode('the c'), { maxTokens: 6, temperature: 0, topK: 0, rng: new Rng(0) })), 'at sat');
  t.dispose();
  const rng = new Rng(1);
  const logits = [0, 5, 1, 4.9];
  for (let i = 0; i < 50; i++) assert.ok([1, 3].includes(sampleToken(logits, 1, 2, rng)), 'top-2 only');
  assert.equal(sampleToken(logits, 0, 0, rng), 1);
});

test('the Table 5 ordering checks say when an ordering fails', () => {
  const mk = (id: string, mean: number) => ({ table: 'table5', dataset: 'x', model: 'm', method: id, metric: 'ppl', mean, std: 0, seeds: 1, paper: null });
  const ids = ['bp-baseline', 'bp-beta2', 'macro-baseline', 'macro-plateau', 'shallow-baseline'];
  const cells = ids.map((id) => TABLE5.find((c) => c.id === id)!);
  const good = orderingChecks([mk('a', 40), mk('b', 35), mk('c', 90), mk('d', 50), mk('e', 400)], cells);
  assert.match(good[0]!, /BP < DFA macro < shallow .*holds/);
  assert.match(good.find((l) => l.includes('gap'))!, /holds — 50\.0 → 15\.0/);
  const bad = orderingChecks([mk('a', 40), mk('b', 35), mk('c', 90), mk('d', 50), mk('e', 45)], cells);
  assert.match(bad[0]!, /FAILS/);
  const both = ['macro-baseline', 'micro-baseline', 'macro-plateau', 'micro-plateau'].map((id) => TABLE5.find((c) => c.id === id)!);
  const pair = (xs: number[]) => orderingChecks(xs.map((x, i) => mk(String(i), x)), both).find((l) => l.includes('every optimizer setting'))!;
  assert.match(pair([90, 180, 50, 90]), /holds — baseline 90\.0 vs 180\.0, plateau 50\.0 vs 90\.0/);
  assert.match(pair([90, 180, 95, 90]), /FAILS/);
});

test('drtp on the LM: with the error at the logits it projects the next tokens (the loss falls); before the vocabulary projection it is refused, saying why', async () => {
  const mk = (errorAt: 'before' | 'after') => new LmTask({
    model: CFG, seed: 1, train: trainSet, valid: validSet, test: testSet, batch: 8, evalChunks: 16, granularity: 'macro', errorAt, dfaEmbed: false, data: 'phrases, char',
  });
  const cfg: TrainConfig = { method: 'drtp', seed: 1, epochs: 2, stepsPerEpoch: 15, optimizer: { name: 'adam', lr: 3e-3 }, clipNorm: 1 };
  const after = mk('after');
  const start = Math.exp(evaluateNll(after.model, validSet, 8, 16));
  const r = await train(after, { ...cfg, alignEvery: 0 });
  after.dispose();
  assert.ok(r.bestVal < 0.6 * start, `drtp: validation perplexity ${r.bestVal.toFixed(1)} from ${start.toFixed(1)}`);
  const before = mk('before');
  assert.throws(() => new Trainer(before, cfg), /drtp is undefined with the error taken before the vocabulary projection \(errorAt 'before'\).*errorAt 'after', --error-at after/);
  before.dispose();
});
