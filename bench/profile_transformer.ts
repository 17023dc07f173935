/**
 * Per-kernel time of one Transformer LM training step (forward + backward, as bench/transformer.ts
 * without the optimizer), from tf.profile, aggregated by kernel name and input shapes.
 *   node --import tsx bench/profile_transformer.ts [--mode bp|macro|micro] [--steps 3] [--top 40]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, backendName } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { parseArgs, Options } from '../src/cli/args';
import { GPT, type GptConfig } from '../src/models/transformer/gpt';
import { TransformerFeedback, lmGradients, type LmMethod } from '../src/models/transformer/dfa';

const o = new Options(parseArgs(process.argv.slice(2)).options, 'profile transformer');
const mode = o.str('mode') ?? 'bp';
const steps = o.int('steps', 3), top = o.int('top', 40);
const byShape = o.flag('shapes');
o.done();
await initBackend();
const cfg: GptConfig = { d: 256, layers: 4, heads: 4, ffn: 1024, ctx: 128, vocab: 8192, dropout: 0.1, preLN: false };
const batch = 8;
const rng = new Rng(0);
const x = tf.tensor2d(Int32Array.from({ length: batch * cfg.ctx }, () => rng.int(cfg.vocab)), [batch, cfg.ctx], 'int32');
const y = tf.tensor1d(Int32Array.from({ length: batch * cfg.ctx }, () => rng.int(cfg.vocab)), 'int32');
const m = new GPT(cfg, 0);
const fb = new TransformerFeedback(mode as LmMethod, cfg, 'before', 1);
const drop = new Rng(1);
const step = () => { const r = lmGradients(m, fb, x, y, drop); r.grads.forEach((g) => g.dispose()); };
for (let i = 0; i < 3; i++) step();
let wall = 0;
const agg = new Map<string, { ms: number; n: number }>();
for (let s = 0; s < steps; s++) {
  const t0 = performance.now();
  const p = await tf.profile(step);
  wall += performance.now() - t0;
  for (const k of p.kernels) {
    const key = byShape ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
    const a = agg.get(key) ?? { ms: 0, n: 0 };
    a.ms += (await k.kernelTimeMs) as number;
    a.n++;
    agg.set(key, a);
  }
}
let t0 = performance.now();
for (let s = 0; s < steps; s++) step();
const plain = (performance.now() - t0) / steps;
const rows = [...agg].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, r) => s + r[1].ms, 0) / steps;
console.log(`${backendName()} ${mode}: step ${plain.toFixed(1)} ms unprofiled, ${(wall / steps).toFixed(1)} ms profiled, kernels ${total.toFixed(1)} ms, ${rows.reduce((s, r) => s + r[1].n, 0) / steps} kernels/step`);
for (const [k, a] of rows.slice(0, top)) console.log(`${(a.ms / steps).toFixed(2).padStart(8)} ms ${String(a.n / steps).padStart(5)}x  ${k}`);
