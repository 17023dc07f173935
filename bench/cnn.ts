/**
 * `dfa bench cnn`: training step time of a LeNet-5-like net on 28x28x1 and a small VGG-like net on
 * 32x32x3 (batch 128, Adam lr 1e-3) for BP, DFA and shallow, beside bench/cnn_torch.py (the same
 * nets in PyTorch) run in the same invocation. Both sides time interleaved windows and report the
 * median (bench/timing.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { Feedback, parseMethod } from '../src/feedback';
import { softmaxCrossEntropy } from '../src/metrics/losses';
import { Adam } from '../src/optim';
import { ConvNet, type ConvFeedback, type ConvNetConfig } from '../src/tasks/convnet';
import { interleaved, median } from './timing';
import { runTorchJson, torchMissing } from './torch';
import { printTable, writeJson } from './report';
import { REPO_ROOT } from '../src/data/paths';
import { defineCommand } from '../src/command/command';
import { METHODS } from '../src/feedback/methods';
import { benchJson, countOption, noTorch, windowSecondsOption, windowsOption } from './options';

export type CnnName = 'lenet' | 'vgg';

/** The benchmarked nets (bench/cnn_torch.py builds the same ones). */
export const CNN_NETS: Record<CnnName, Omit<ConvNetConfig, 'seed' | 'convFeedback'>> = {
  lenet: { input: [28, 28, 1], convs: [{ channels: 6, kernel: 5, pool: true }, { channels: 16, kernel: 5, padding: 'valid', pool: true }], hidden: [120, 84], classes: 10 },
  vgg: {
    input: [32, 32, 3],
    convs: [{ channels: 32, kernel: 3 }, { channels: 32, kernel: 3, pool: true }, { channels: 64, kernel: 3 }, { channels: 64, kernel: 3, pool: true }],
    hidden: [256], classes: 10,
  },
};

export const command = defineCommand({
  name: 'bench cnn',
  summary: 'CNN training step (LeNet-5-like 28x28x1, small VGG-like 32x32x3; batch 128, Adam) for BP, DFA and shallow beside bench/cnn_torch.py run in the same invocation.',
  description: "Where a step's time goes: node --import tsx bench/profile_cnn.ts --help.",
  options: {
    nets: { type: 'list', of: 'enum', choices: ['lenet', 'vgg'], default: ['lenet', 'vgg'], help: 'networks' },
    modes: { type: 'list', of: 'enum', choices: METHODS, default: ['bp', 'dfa', 'shallow'], help: 'training methods' },
    'conv-feedback': { type: 'enum', choices: ['flat', 'channel'], default: 'flat', help: "the direct methods' feedback to conv layers" },
    batch: countOption(128, 'batch size'),
    windows: windowsOption(5),
    'window-s': windowSecondsOption(1),
    json: benchJson,
    'no-torch': noTorch,
  },
  async run({ options: o }) {
    await benchCnn({ nets: o.nets as CnnName[], modes: o.modes, convFeedback: o['conv-feedback'] as ConvFeedback, batch: o.batch, windows: o.windows, windowS: o['window-s'], json: o.json, torch: !o['no-torch'] });
  },
});

export interface CnnBenchOptions { nets: CnnName[]; modes: string[]; convFeedback: ConvFeedback; windows: number; windowS: number; batch: number; json?: string; torch: boolean }

/** One training step of `net` under `method` on a fixed random batch (speed does not depend on values). */
export function makeCnnStep(net: CnnName, method: string, convFeedback: ConvFeedback, batch = 128, seed = 0): { step: () => void; dispose: () => void } {
  const model = new ConvNet({ ...CNN_NETS[net], seed, convFeedback });
  const fb = new Feedback({ method: parseMethod(method), seed });
  const opt = new Adam({ lr: 1e-3 });
  const [H, W, C] = model.config.input;
  const data = new Rng(seed).fork('data');
  const x = tf.tensor4d(data.normalArray(batch * H * W * C), [batch, H, W, C]);
  const y = tf.tensor1d(Int32Array.from({ length: batch }, () => data.int(10)), 'int32');
  const vars = model.variables;
  return {
    // reading the loss makes the step synchronous, as PyTorch's is
    step: () => {
      const { value, grads } = fb.grads(() => softmaxCrossEntropy(model.forward(x, fb), y), vars);
      opt.apply(grads);
      value.dataSync();
      value.dispose();
    },
    dispose: () => {
      model.dispose();
      fb.dispose();
      opt.dispose();
      tf.dispose([x, y]);
    },
  };
}

interface TorchCnn { results: Array<{ net: string; modes: Record<string, { median_ms: number }> }>; env?: unknown }

export async function benchCnn(o: CnnBenchOptions): Promise<void> {
  const info = await initBackend();
  const missing = o.torch ? torchMissing() : 'disabled (--no-torch)';
  if (missing) console.log(`PyTorch column skipped: ${missing}`);
  let torch: TorchCnn | null = null;
  if (!missing) {
    console.log(`running bench/cnn_torch.py --nets ${o.nets.join(',')} ...`);
    torch = runTorchJson(join(REPO_ROOT, 'bench', 'cnn_torch.py'), ['--nets', o.nets.join(','), '--modes', o.modes.join(','), '--conv-feedback', o.convFeedback,
      '--batch', String(o.batch), '--windows', String(o.windows), '--window-s', String(o.windowS)]) as TorchCnn;
  }
  const doc: Record<string, unknown> = { benchmark: 'cnn-step', backend: info.name, batch: o.batch, convFeedback: o.convFeedback, windows: o.windows, date: new Date().toISOString(), results: [] as unknown[] };
  const rows: Array<Array<string | number>> = [];
  for (const net of o.nets) {
    const built = Object.fromEntries(o.modes.map((m) => [m, makeCnnStep(net, m, o.convFeedback, o.batch)]));
    for (const b of Object.values(built)) for (let i = 0; i < 3; i++) b.step(); // warm-up: pool and JIT settle
    const ws = interleaved(Object.fromEntries(Object.entries(built).map(([m, b]) => [m, b.step])), o.windows, o.windowS);
    for (const b of Object.values(built)) b.dispose();
    const ours = Object.fromEntries(Object.entries(ws).map(([m, w]) => [m, median(w.map((x) => x.s)) * 1e3]));
    const t = torch?.results.find((r) => r.net === net);
    for (const m of o.modes) {
      const tm = t?.modes[m]?.median_ms ?? NaN;
      rows.push([net, m, ours[m]!, tm, ours[m]! / tm, ours[m]! / (ours.bp ?? NaN), Math.max(...ws[m]!.map((x) => x.foreign))]);
    }
    (doc.results as unknown[]).push({ net, ours_ms: ours, torch_ms: t ? Object.fromEntries(Object.entries(t.modes).map(([m, v]) => [m, v.median_ms])) : null, windows: ws });
  }
  console.log(`\nCNN training step, batch ${o.batch}, Adam; DFA points ${o.convFeedback}; ms per step (median of ${o.windows} interleaved windows); backend '${info.name}'\n`);
  printTable(['net', 'mode', 'ours ms', 'torch ms', 'ours/torch', 'ours/our BP', 'max foreign'], rows);
  if (torch) doc.torch = torch;
  if (missing) doc.torch_skipped = missing;
  console.log('\nGoals (issue 17): BP ours/torch <= 1.0 for both nets; DFA ours/our BP < 1.');
  writeJson(o.json, doc);
  tf.disposeVariables();
}
