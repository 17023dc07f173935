/**
 * `dfa bench mlp`: training step time of the MLP 784 → 1024×k → 10 (tanh, batch 128) for BP,
 * DFA and shallow, SGD and Adam, beside PyTorch's ../shared/anchors/torch_mlp.py run in the same
 * invocation. Both sides use interleaved windows and the median (see bench/timing.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { initBackend } from '../src/engine/backend';
import { makeMlpStep } from './mlp_step';
import { interleaved, median } from './timing';
import { ANCHORS, runTorchJson, torchMissing } from './torch';
import { printTable, writeJson } from './report';
import { defineCommand } from '../src/command/command';
import { METHODS } from '../src/feedback/methods';
import { benchJson, noTorch, windowSecondsOption, windowsOption } from './options';

export const command = defineCommand({
  name: 'bench mlp',
  summary: 'Training step of the MLP 784 → 1024×k → 10 (tanh, batch 128) for BP, DFA and shallow, SGD and Adam, beside ../shared/anchors/torch_mlp.py run in the same invocation.',
  options: {
    depths: { type: 'list', of: 'int', min: 1, default: [2, 4, 8], help: 'hidden layers k' },
    optims: { type: 'list', of: 'enum', choices: ['sgd', 'adam'], default: ['sgd', 'adam'], help: 'optimizers' },
    modes: { type: 'list', of: 'enum', choices: METHODS, default: ['bp', 'dfa', 'shallow'], help: `training methods, any of ${METHODS.join(', ')} (PyTorch times bp, dfa, shallow)` },
    windows: windowsOption(9),
    'window-s': windowSecondsOption(1),
    json: benchJson,
    'no-torch': noTorch,
  },
  async run({ options: o }) {
    await benchMlp({ depths: o.depths, optims: o.optims as Array<'sgd' | 'adam'>, modes: o.modes, windows: o.windows, windowS: o['window-s'], json: o.json, torch: !o['no-torch'] });
  },
});

export interface MlpBenchOptions { depths: number[]; optims: Array<'sgd' | 'adam'>; modes: string[]; windows: number; windowS: number; json?: string; torch: boolean }

interface TorchMlp { results: Array<{ k: number; modes: Record<string, { median_ms: number }> }>; env?: unknown }

export async function benchMlp(o: MlpBenchOptions): Promise<void> {
  const info = await initBackend();
  const missing = o.torch ? torchMissing() : 'disabled (--no-torch)';
  if (missing) console.log(`PyTorch column skipped: ${missing}`);
  const doc: Record<string, unknown> = { benchmark: 'mlp-step', backend: info.name, batch: 128, windows: o.windows, date: new Date().toISOString(), results: [] as unknown[] };
  for (const optim of o.optims) {
    let torch: TorchMlp | null = null;
    if (!missing) {
      console.log(`running ${join(ANCHORS, 'torch_mlp.py')} --optim ${optim} ...`);
      torch = runTorchJson(join(ANCHORS, 'torch_mlp.py'), ['--optim', optim, '--depths', o.depths.join(','), '--modes', ['bp', 'dfa', 'shallow'].filter((m) => o.modes.includes(m) || m === 'bp').join(','), '--windows', String(o.windows)]) as TorchMlp;
    }
    const rows: Array<Array<string | number>> = [];
    for (const k of o.depths) {
      const built = Object.fromEntries(o.modes.map((m) => [m, makeMlpStep(k, m, optim)]));
      for (const b of Object.values(built)) for (let i = 0; i < 10; i++) b.step(); // warm-up: pool and JIT settle
      const ws = interleaved(Object.fromEntries(Object.entries(built).map(([m, b]) => [m, b.step])), o.windows, o.windowS);
      for (const b of Object.values(built)) b.dispose();
      const ours = Object.fromEntries(Object.entries(ws).map(([m, w]) => [m, median(w.map((x) => x.s)) * 1e3]));
      const bp = ours.bp ?? NaN;
      const t = torch?.results.find((r) => r.k === k);
      for (const m of o.modes) {
        const tm = t?.modes[m]?.median_ms ?? NaN;
        const tbp = t?.modes.bp?.median_ms ?? NaN;
        rows.push([optim, k, m, ours[m]!, tm, ours[m]! / tm, ours[m]! / bp, tm / tbp, ours[m]! / tbp, Math.max(...ws[m]!.map((x) => x.foreign))]);
      }
      (doc.results as unknown[]).push({ optim, k, ours_ms: ours, torch_ms: t ? Object.fromEntries(Object.entries(t.modes).map(([m, v]) => [m, v.median_ms])) : null, windows: ws });
    }
    console.log(`\nMLP 784 → 1024×k → 10, tanh, batch 128, ${optim}; ms per step (median of ${o.windows} interleaved windows); backend '${info.name}'\n`);
    printTable(['optim', 'k', 'mode', 'ours ms', 'torch ms', 'ours/torch', 'ours/our BP', 'torch/torch BP', 'ours/torch BP', 'max foreign'], rows);
    if (torch) (doc as Record<string, unknown>)[`torch_${optim}`] = torch;
  }
  if (missing) doc.torch_skipped = missing;
  console.log('\nGoals: BP ours/torch ≤ 1.10; DFA ours/our BP ≤ 0.80 at k = 8; DFA ours/torch BP < 1.');
  writeJson(o.json, doc);
  tf.disposeVariables();
}
