/**
 * `dfa bench engine`: GEMM GFLOPS of tf.matMul on our backend at n = 256..2048, beside torch.mm
 * (bench/torch_gemm.py, the anchors' process settings). The two are interleaved window by window
 * (ours, then torch, for each size, repeated), so drift of a shared machine hits both alike.
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/data/paths';
import { Rng } from '../src/engine/rng';
import { initBackend } from '../src/engine/backend';
import { median, timedWindow, calibrate } from './timing';
import { torchMissing, runTorchJson } from './torch';
import { printTable, writeJson } from './report';
import { defineCommand } from '../src/command/command';
import { benchJson, noTorch, windowSecondsOption, windowsOption } from './options';

export const command = defineCommand({
  name: 'bench engine',
  summary: 'GEMM GFLOPS of tf.matMul on our backend beside torch.mm (bench/torch_gemm.py), interleaved window by window.',
  options: {
    sizes: { type: 'list', of: 'int', min: 1, default: [256, 512, 1024, 2048], placeholder: 'N,N,...', help: 'matrix sizes n (n × n times n × n)' },
    windows: windowsOption(5),
    'window-s': windowSecondsOption(0.5),
    json: benchJson,
    'no-torch': noTorch,
  },
  async run({ options: o }) {
    await benchEngine({ sizes: o.sizes, windows: o.windows, windowS: o['window-s'], json: o.json, torch: !o['no-torch'] });
  },
});

export interface EngineBenchOptions { sizes: number[]; windows: number; windowS: number; json?: string; torch: boolean }

type TorchGemm = { results: Array<{ n: number; gflops: number }>; threads: number; torch: string };

export async function benchEngine(o: EngineBenchOptions): Promise<void> {
  const info = await initBackend();
  const missing = o.torch ? torchMissing() : 'disabled (--no-torch)';
  if (missing) console.log(`PyTorch column skipped: ${missing}`);
  const rng = new Rng(0);
  const cases = o.sizes.map((n) => {
    const a = tf.tensor(rng.uniformArray(n * n), [n, n]);
    const b = tf.tensor(rng.uniformArray(n * n), [n, n]);
    const step = () => tf.matMul(a, b).dispose();
    for (let i = 0; i < 3; i++) step();
    return { n, a, b, step, reps: calibrate(step, o.windowS), ours: [] as number[], torch: [] as number[] };
  });
  let torchInfo: TorchGemm | null = null;
  for (let w = 0; w < o.windows; w++) {
    for (const c of cases) {
      c.ours.push((2 * c.n ** 3) / timedWindow(c.step, c.reps).s / 1e9);
      if (!missing) {
        torchInfo = runTorchJson(join(REPO_ROOT, 'bench', 'torch_gemm.py'), ['--sizes', String(c.n), '--windows', '1', '--window-s', String(o.windowS)]) as TorchGemm;
        c.torch.push(torchInfo.results[0]!.gflops);
      }
    }
  }
  for (const c of cases) tf.dispose([c.a, c.b]);
  console.log(`\nGEMM, float32, square n×n · n×n, GFLOPS, median of ${o.windows} interleaved windows; backend '${info.name}'${torchInfo ? `, torch ${torchInfo.torch} with ${torchInfo.threads} threads` : ''}\n`);
  const rows = cases.map((c) => {
    const ours = median(c.ours), torch = c.torch.length ? median(c.torch) : NaN;
    const paired = c.torch.length ? median(c.ours.map((x, i) => x / c.torch[i]!)) : NaN;
    return { n: c.n, ours, torch, ratio: ours / torch, paired, oursWindows: c.ours, torchWindows: c.torch };
  });
  printTable(['n', 'ours GFLOPS', 'torch.mm GFLOPS', 'ours/torch', 'paired ratio'], rows.map((r) => [r.n, r.ours, r.torch, r.ratio, r.paired]));
  console.log('\nGoal: ours/torch ≥ 0.9 at n ≥ 512.');
  writeJson(o.json, { benchmark: 'engine-gemm', backend: info.name, windows: o.windows, results: rows, torch: torchInfo ? { version: torchInfo.torch, threads: torchInfo.threads } : null, skipped: missing ?? undefined, date: new Date().toISOString() });
}
