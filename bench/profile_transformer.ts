/**
 * Per-kernel time of one Transformer LM training step (forward + backward, as bench/transformer.ts
 * without the optimizer), from tf.profile, aggregated by kernel name and input shapes.
 *   node --import tsx bench/profile_transformer.ts [--mode bp|macro|micro] [--steps 3] [--top 40]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, backendName } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { defineCommand } from '../src/command/command';
import { isScript, runScript } from './options';
import { GPT, type GptConfig } from '../src/suites/transformer/models/gpt';
import { gptFeedback } from '../src/suites/transformer/models/feedback';
import { lmMethod, type LmMethod } from '../src/suites/transformer/paper';
import { softmaxCrossEntropy } from '../src/metrics/losses';
import { profileKernels, printKernelRows } from './profile_kernels';

export const command = defineCommand({
  name: 'profile transformer',
  invocation: 'node --import tsx bench/profile_transformer.ts',
  summary: 'Per-kernel time of one Transformer LM training step (forward + backward, as bench/transformer.ts without the optimizer), from tf.profile.',
  options: {
    mode: { type: 'enum', choices: ['bp', 'macro', 'micro', 'shallow'], default: 'bp', help: 'training method' },
    steps: { type: 'int', min: 1, default: 3, help: 'profiled steps' },
    top: { type: 'int', min: 1, default: 40, help: 'kernels listed' },
    shapes: { type: 'flag', help: 'aggregate by kernel name and input shapes' },
  },
  async run({ options: o }) {
    const { mode, steps, top, shapes: byShape } = o;
    await initBackend();
    const cfg: GptConfig = { d: 256, layers: 4, heads: 4, ffn: 1024, ctx: 128, vocab: 8192, dropout: 0.1, preLN: false };
    const batch = 8;
    const rng = new Rng(0);
    const x = tf.tensor2d(Int32Array.from({ length: batch * cfg.ctx }, () => rng.int(cfg.vocab)), [batch, cfg.ctx], 'int32');
    const y = tf.tensor1d(Int32Array.from({ length: batch * cfg.ctx }, () => rng.int(cfg.vocab)), 'int32');
    const m = new GPT(cfg, 0);
    const { method, granularity } = lmMethod(mode as LmMethod);
    const fb = gptFeedback(method, granularity, cfg, 'before', 1);
    const vars = [...m.params.values()];
    const drop = new Rng(1);
    const step = () => { const r = fb.grads(() => softmaxCrossEntropy(m.forward(x, { fb, granularity, rng: drop }), y), vars); tf.dispose([r.value, ...r.grads.values()]); };
    for (let i = 0; i < 3; i++) step();
    const p = await profileKernels(step, steps, byShape);
    console.log(`${backendName()} ${mode}: step ${p.plainMs.toFixed(1)} ms unprofiled, ${p.profiledMs.toFixed(1)} ms profiled, kernels ${p.kernelMs.toFixed(1)} ms, ${p.kernelsPerStep} kernels/step`);
    printKernelRows(p, top);
  },
});

if (isScript(import.meta.url)) await runScript(command);
