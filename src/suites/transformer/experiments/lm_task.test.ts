import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { CharTokenizer } from '../data/char_tokenizer';
import { LmDataset } from '../data/lm_dataset';
import { GPT, type GptConfig } from '../models/gpt';
import { loadLm, saveLm } from '../../../models/transformer/checkpoint';
import { generateTokens, sampleToken } from '../models/sample';
import { noamLr, PAPER_NOAM_PEAK, ReduceLROnPlateau, warmupInvSqrtLr } from '../../../experiments/transformer/schedules';
import { evaluatePerplexity, trainLm, type LmTrainConfig } from './lm_task';
import { orderingChecks } from './table5';
import { TABLE5 } from '../paper';

test('warm-up / inverse-sqrt schedule: linear to the peak at the warm-up, then 1/sqrt(t)', () => {
  assert.ok(Math.abs(PAPER_NOAM_PEAK - 1 / Math.sqrt(512 * 4000)) < 1e-12);
  assert.ok(Math.abs(noamLr(100, 512, 4000) - 100 * 512 ** -0.5 * 4000 ** -1.5) < 1e-15);
  assert.equal(warmupInvSqrtLr(5, 1, 10), 0.5);
  assert.equal(warmupInvSqrtLr(10, 1, 10), 1);
  assert.ok(Math.abs(warmupInvSqrtLr(40, 1, 10) - 0.5) < 1e-12);
  // same curve as the d^-0.5 form, up to the factor
  assert.ok(Math.abs(warmupInvSqrtLr(7000, PAPER_NOAM_PEAK, 4000) - noamLr(7000, 512, 4000)) < 1e-12);
});

test('reduce-on-plateau: factor 0.2 after more than `patience` evaluations without improvement', () => {
  const s = new ReduceLROnPlateau(1e-4, 0.2, 1);
  assert.equal(s.step(100), 1e-4);
  assert.equal(s.step(90), 1e-4);
  assert.equal(s.step(95), 1e-4); // 1 bad epoch: patience 1 tolerates it
  assert.ok(Math.abs(s.step(91) - 2e-5) < 1e-18); // 2nd bad epoch: reduce
  assert.ok(Math.abs(s.step(92) - 2e-5) < 1e-18); // counter restarted
  assert.ok(Math.abs(s.step(89) - 2e-5) < 1e-18); // improvement
});

// A corpus with structure a 1-layer model learns in a few dozen steps: repeated phrases.
const TEXT = Array.from({ length: 300 }, (_, i) => ['the cat sat. ', 'a dog ran! ', 'we eat fish. '][i % 3]).join('');
const tok = CharTokenizer.train(TEXT);
const ids = tok.encode(TEXT);
const train = new LmDataset(ids.subarray(0, 3000), 16);
const valid = new LmDataset(ids.subarray(3000), 16);
const CFG: GptConfig = { vocab: tok.vocabSize, ctx: 16, d: 32, layers: 2, heads: 2, ffn: 64, dropout: 0, preLN: false };
const run = (method: LmTrainConfig['method']) => {
  const m = new GPT(CFG, 1);
  const start = evaluatePerplexity(m, valid, 8);
  const r = trainLm(m, train, valid, {
    method, errorAt: 'before', dfaEmbed: false, batch: 8, epochs: 3, stepsPerEpoch: 15, validChunks: 0, seed: 1,
    optim: { lr: 3e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, schedule: 'constant', warmup: 1, plateauFactor: 0.2, plateauPatience: 1, clip: 1 },
  });
  return { m, start, r };
};

let bpRun: ReturnType<typeof run> | null = null;
const trainedBp = () => (bpRun ??= run('bp'));

test('training lowers validation perplexity: BP and DFA macro learn, best epoch kept', () => {
  const before = tf.memory().numTensors;
  const bp = trainedBp();
  assert.ok(bp.start > 10, `untrained ppl ${bp.start}`);
  assert.ok(bp.r.bestValidPpl < bp.start / 3, `bp: ${bp.start.toFixed(1)} -> ${bp.r.bestValidPpl.toFixed(1)}`);
  assert.equal(bp.r.bestValidPpl, Math.min(...bp.r.history.map((h) => h.validPpl)));
  const macro = run('macro');
  assert.ok(macro.r.bestValidPpl < macro.start / 2, `macro: ${macro.start.toFixed(1)} -> ${macro.r.bestValidPpl.toFixed(1)}`);
  macro.m.dispose();
  assert.ok(tf.memory().numTensors - before <= bp.m.params.size + 2, `leaked ${tf.memory().numTensors - before} tensors`);
});

test('a saved run loads back with the same perplexity; sampling is seeded and honours top-k / temperature', () => {
  const { m } = trainedBp();
  const dir = mkdtempSync(join(tmpdir(), 'lm-'));
  try {
    saveLm(dir, m, tok, { meta: { note: 'test' } });
    const back = loadLm(dir);
    assert.ok(Math.abs(evaluatePerplexity(back.model, valid, 8) - evaluatePerplexity(m, valid, 8)) < 1e-4);
    assert.equal(back.meta.note, 'test');
    const prompt = tok.encode('the c');
    const a = generateTokens(back.model, prompt, { maxTokens: 6, temperature: 0.8, topK: 5, rng: new Rng(3) });
    const b = generateTokens(back.model, prompt, { maxTokens: 6, temperature: 0.8, topK: 5, rng: new Rng(3) });
    assert.deepEqual(a, b);
    assert.equal(tok.decode(generateTokens(back.model, prompt, { maxTokens: 6, temperature: 0, topK: 0, rng: new Rng(0) })), 'at sat');
    back.model.dispose();
    writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(8));
    assert.throws(() => loadLm(dir), /truncated or mismatched/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    m.dispose();
  }
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
