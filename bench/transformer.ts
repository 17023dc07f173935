/**
 * Training tokens/s of the Transformer LM for BP, DFA macro, DFA micro and shallow, one step =
 * forward + backward + clip 0.5 + Adam (lr 1e-4, β 0.9/0.98, ε 1e-9), at the anchors' size
 * (d 256, 4 layers, 4 heads, ffn 1024, seq 128, batch 8, vocab 8192, seeded random tokens),
 * timed like ../shared/anchors/torch_transformer.py (interleaved windows, median), with that
 * script run beside it unless --no-torch.
 *   dfa bench transformer --help  (or node --import tsx bench/transformer.ts --help)
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { initBackend, backendName } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { defineCommand, type Command } from '../src/command/command';
import type { OptionValues } from '../src/command/options';
import { Adam } from '../src/optim';
import { clipByGlobalNorm } from '../src/optim/clip';
import { GPT, type GptConfig } from '../src/suites/transformer/models/gpt';
import { gptFeedback } from '../src/suites/transformer/models/feedback';
import { lmMethod, type LmMethod } from '../src/suites/transformer/paper';
import { softmaxCrossEntropy } from '../src/metrics/losses';
import { interleaved, median } from './timing';
import { printTable, writeJson } from './report';
import { ANCHORS, runTorchJson, torchMissing } from './torch';
import { benchJson, countOption, isScript, noTorch, runScript, windowSecondsOption, windowsOption } from './options';

const OPTIONS = {
  modes: { type: 'list', of: 'enum', choices: ['bp', 'macro', 'micro', 'shallow'], default: ['bp', 'macro', 'micro', 'shallow'], help: 'training methods (DFA macro/micro: feedback per block / per layer)' },
  windows: windowsOption(5),
  'window-s': windowSecondsOption(1.5),
  d: countOption(256, 'model width'),
  layers: countOption(4, 'blocks'),
  heads: countOption(4, 'attention heads'),
  ffn: countOption(1024, 'feed-forward width'),
  seq: countOption(128, 'context length'),
  batch: countOption(8, 'sequences per batch'),
  vocab: countOption(8192, 'vocabulary size'),
  'no-torch': noTorch,
  json: benchJson,
} as const;

export const command: Command<typeof OPTIONS> = defineCommand({
  name: 'bench transformer',
  summary: "Transformer LM training tokens/s (BP, DFA macro, DFA micro, shallow) at the anchors' size, beside ../shared/anchors/torch_transformer.py run in the same invocation.",
  options: OPTIONS,
  async run({ options }) {
    await benchTransformer(options);
  },
});

/** PyTorch anchor numbers from ../shared/anchors/README (tokens/s on the 2-vCPU machine, run 2). */
export const ANCHOR_TOKENS_PER_S: Record<string, number> = { bp: 3665, macro: 3584, micro: 3493 };

export async function benchTransformer(o: OptionValues<typeof OPTIONS>): Promise<void> {
  const cfg: GptConfig = { d: o.d, layers: o.layers, heads: o.heads, ffn: o.ffn, ctx: o.seq, vocab: o.vocab, dropout: 0.1, preLN: false };
  const batch = o.batch;
  const modes = o.modes as LmMethod[];
  const windows = o.windows, windowS = o['window-s'];
  const noTorch = o['no-torch'];
  const json = o.json;
  await initBackend();
  const rng = new Rng(0);
  const data = Array.from({ length: 4 }, () => {
    const t = Int32Array.from({ length: batch * (cfg.ctx + 1) }, () => rng.int(cfg.vocab));
    const x = new Int32Array(batch * cfg.ctx), y = new Int32Array(batch * cfg.ctx);
    for (let b = 0; b < batch; b++) {
      x.set(t.subarray(b * (cfg.ctx + 1), b * (cfg.ctx + 1) + cfg.ctx), b * cfg.ctx);
      y.set(t.subarray(b * (cfg.ctx + 1) + 1, (b + 1) * (cfg.ctx + 1)), b * cfg.ctx);
    }
    return { x: tf.keep(tf.tensor2d(x, [batch, cfg.ctx], 'int32')), y: tf.keep(tf.tensor1d(y, 'int32')) };
  });
  const steps: Record<string, () => void> = {};
  for (const mode of modes) {
    const m = new GPT(cfg, 0);
    const { method, granularity } = lmMethod(mode);
    const fb = gptFeedback(method, granularity, cfg, 'before', 1);
    const vars = [...m.params.values()];
    const opt = new Adam({ lr: 1e-4, beta1: 0.9, beta2: 0.98, eps: 1e-9 });
    const drop = new Rng(1);
    let i = 0;
    steps[mode] = () => {
      const d = data[i++ % data.length]!;
      const { value, grads } = fb.grads(() => softmaxCrossEntropy(m.forward(d.x, { fb, granularity, rng: drop }), d.y), vars);
      value.dispose();
      clipByGlobalNorm(grads, 0.5); // the library's clipping (native: one read per gradient, scaled in place)
      opt.apply(grads);
    };
  }
  console.log(`Transformer LM step, d ${cfg.d}, ${cfg.layers} layers, ${cfg.heads} heads, ffn ${cfg.ffn}, seq ${cfg.ctx}, batch ${batch}, vocab ${cfg.vocab}, backend ${backendName()}`);
  const wins = interleaved(steps, windows, windowS);
  const tokens = batch * cfg.ctx;
  let torch: Record<string, { tokens_per_s: number }> | null = null;
  const why = noTorch ? 'skipped (--no-torch)' : torchMissing();
  if (!why) {
    const r = runTorchJson(join(ANCHORS, 'torch_transformer.py'), ['--modes', modes.join(','), '--d', String(cfg.d), '--layers', String(cfg.layers), '--heads', String(cfg.heads), '--ffn', String(cfg.ffn), '--seq', String(cfg.ctx), '--batch', String(batch), '--vocab', String(cfg.vocab), '--windows', String(windows)]) as { modes?: Record<string, { tokens_per_s: number }> };
    torch = r.modes ?? null;
  }
  const bpMed = wins.bp ? median(wins.bp.map((w) => w.s)) : NaN;
  const rows = modes.map((mode) => {
    const med = median(wins[mode]!.map((w) => w.s));
    return [mode, med * 1000, tokens / med, med / bpMed, torch?.[mode]?.tokens_per_s ?? NaN, ANCHOR_TOKENS_PER_S[mode] ?? NaN];
  });
  printTable(['mode', 'ms/step', 'tokens/s', 'vs bp', 'torch now tokens/s', 'torch anchor tokens/s'], rows);
  if (why) console.log(`PyTorch column: ${why}`);
  writeJson(json, { config: cfg, batch, backend: backendName(), windows: wins, torch, anchor: ANCHOR_TOKENS_PER_S });
}

if (isScript(import.meta.url)) await runScript(command);
