import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { GPT, feedbackPointNames, type GptConfig } from './gpt';

const CFG: GptConfig = { vocab: 23, ctx: 8, d: 16, layers: 2, heads: 4, ffn: 24, dropout: 0.1, preLN: false };

for (const preLN of [false, true]) {
  test(`GPT (${preLN ? 'pre' : 'post'}-LN): logits at a position never depend on later tokens`, () => {
    const m = new GPT({ ...CFG, preLN }, 5);
    tf.tidy(() => {
      const a = [3, 1, 4, 1, 5, 9, 2, 6];
      const b = a.slice();
      b[5] = 7; b[6] = 0; b[7] = 22; // perturb the future of position 4
      const la = m.forward(tf.tensor2d([a], [1, 8], 'int32')).arraySync();
      const lb = m.forward(tf.tensor2d([b], [1, 8], 'int32')).arraySync();
      for (let t = 0; t < 5; t++) for (let v = 0; v < CFG.vocab; v++) assert.ok(Math.abs(la[t]![v]! - lb[t]![v]!) < 1e-5, `position ${t} saw the future`);
      let moved = 0;
      for (let t = 5; t < 8; t++) for (let v = 0; v < CFG.vocab; v++) moved = Math.max(moved, Math.abs(la[t]![v]! - lb[t]![v]!));
      assert.ok(moved > 1e-3, 'later positions must see the perturbation');
    });
    m.dispose();
  });
}

test('GPT size and the paper configuration parameter count', () => {
  const m = new GPT(CFG, 0);
  const { vocab: V, ctx: T, d, ffn: f, layers: L } = CFG;
  const perBlock = d * 3 * d + 3 * d + d * d + d + 2 * d + d * f + f + f * d + d + 2 * d;
  assert.equal(m.numParams, V * d + T * d + L * perBlock + d * V + V);
  m.dispose();
  assert.throws(() => new GPT({ ...CFG, heads: 5 }), /not divisible/);
});

test('forward places the documented feedback points: macro L, micro 3L, +1 with DFA on the embeddings', () => {
  const m = new GPT(CFG, 1);
  for (const granularity of ['macro', 'micro'] as const) {
    for (const dfaEmbed of [false, true]) {
      const seen: Array<{ name: string; width: number }> = [];
      const hooks = { point: (h: tf.Tensor, name?: string) => (seen.push({ name: name!, width: h.shape[h.rank - 1]! }), h), output: (h: tf.Tensor) => h };
      tf.tidy(() => m.forward(tf.zeros([2, 5], 'int32') as tf.Tensor2D, { fb: hooks, granularity, dfaEmbed }));
      const expected = (granularity === 'macro' ? CFG.layers : 3 * CFG.layers) + (dfaEmbed ? 1 : 0);
      assert.equal(seen.length, expected, `${granularity} dfaEmbed=${dfaEmbed}`);
      assert.deepEqual(seen.map((s) => s.name), feedbackPointNames(CFG.layers, granularity, dfaEmbed));
      for (const s of seen) assert.equal(s.width, s.name.endsWith('.ffn') ? CFG.ffn : CFG.d);
    }
  }
  m.dispose();
});
