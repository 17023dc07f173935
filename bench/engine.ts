/**
 * `dfa bench engine`: GEMM GFLOPS of tf.matMul on our backend at n = 256..2048, beside
 * torch.mm run in the same invocation (bench/torch_gemm.py, same process settings as the anchors).
 */
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/data/paths';
import { Rng } from '../src/engine/rng';
import { initBackend } from '../src/engine/backend';
import { median, timedWindow, calibrate } from './timing';
import { torchMissing, runTorchJson } from './torch';
import { printTable, writeJson } from './report';

export interface EngineBenchOptions { sizes: number[]; windows: number; windowS: number; json?: string; torch: boolean }

export async function benchEngine(o: EngineBenchOptions): Promise<void> {
  const info = await initBackend();
  const missing = o.torch ? torchMissing() : 'disabled (--no-torch)';
  // torch.mm is timed before and after ours and averaged, so drift of a shared machine hits both.
  const torchRun = () => runTorchJson(join(REPO_ROOT, 'bench', 'torch_gemm.py'), ['--sizes', o.sizes.join(','), '--windows', String(o.windows), '--window-s', String(o.windowS)]) as TorchGemm;
  type TorchGemm = { results: Array<{ n: number; gflops: number }>; threads: number; torch: string };
  const before = missing ? null : torchRun();
  const rng = new Rng(0);
  const ours: Array<{ n: number; median_s: number; gflops: number }> = [];
  for (const n of o.sizes) {
    const a = tf.tensor(rng.uniformArray(n * n), [n, n]);
    const b = tf.tensor(rng.uniformArray(n * n), [n, n]);
    const step = () => tf.matMul(a, b).dispose();
    for (let i = 0; i < 3; i++) step();
    const reps = calibrate(step, o.windowS);
    const ws = Array.from({ length: o.windows }, () => timedWindow(step, reps).s);
    const s = median(ws);
    ours.push({ n, median_s: s, gflops: (2 * n ** 3) / s / 1e9 });
    a.dispose();
    b.dispose();
  }
  let torch: TorchGemm | null = null;
  if (before) {
    const after = torchRun();
    torch = { ...after, results: after.results.map((r) => ({ n: r.n, gflops: (r.gflops + (before.results.find((b) => b.n === r.n)?.gflops ?? r.gflops)) / 2 })) };
  } else {
    console.log(`PyTorch column skipped: ${missing}`);
  }
  console.log(`\nGEMM, float32, square n×n · n×n, median of ${o.windows} windows; backend '${info.name}'${torch ? `, torch ${torch.torch} with ${torch.threads} threads` : ''}\n`);
  const rows = ours.map((r) => {
    const t = torch?.results.find((x) => x.n === r.n);
    return [r.n, r.median_s * 1e3, r.gflops, t?.gflops ?? NaN, t ? r.gflops / t.gflops : NaN];
  });
  printTable(['n', 'ours ms', 'ours GFLOPS', 'torch.mm GFLOPS', 'ours/torch'], rows);
  writeJson(o.json, { benchmark: 'engine-gemm', backend: info.name, ours, torch, skipped: missing ?? undefined, date: new Date().toISOString() });
}
