/**
 * Recommender throughput and memory (`dfa bench recsys`): training samples/s and peak memory of
 * DeepFM and Deep&Cross at batch 512 and 2048 (BP and DFA), each configuration streaming a
 * synthetic Criteo file (default 2M rows) from the processed cache, every row once (no split).
 *
 * Memory is sampled after every step: peak RSS, peak V8 heap and peak tfjs tensor bytes, and a
 * snapshot (RSS, heap, tensors) when the streamed rows pass each checkpoint (default 250k, 1M and
 * the end). With chunked streaming and sparse row updates memory must stay flat as rows grow:
 * the table prints the RSS at each checkpoint and the growth between the first and the last.
 * Samples/s counts every step after two warm-up steps, including the data streaming; only full
 * batches are trained (the rows streamed are the largest multiple of the batch size).
 *
 * PyTorch reference: unless --no-torch, bench/torch_recsys.py trains the same models (torchfm
 * layout, nn.Embedding(sparse=True) + SparseAdam, dense Adam; DFA written out in torch) at the same
 * configurations, field cardinalities and thread count, for --torch-seconds each; the table adds
 * its samples/s and ours/torch. Torch trains on random in-memory batches, ours streams the file:
 * our samples/s includes the data streaming.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { defineCommand } from '../src/command/command';
import { cacheOption } from '../src/command/shared';
import { Progress } from '../src/command/progress';
import { iterateBatches } from '../src/suites/recsys/data';
import { Rng } from '../src/engine/rng';
import { dataLabel, openData, type DataRef } from '../src/suites/recsys/data/ref';
import { hyperparams } from '../src/suites/recsys/paper';
import { RECSYS_MODELS, type RecsysModelName } from '../src/suites/recsys/models';
import { recsysTraining } from '../src/suites/recsys/experiments/run';
import { Trainer } from '../src/train/trainer';
import { REPO_ROOT } from '../src/data/paths';
import { printTable, writeJson } from './report';
import { runTorchJson, torchMissing } from './torch';
import { benchJson, countOption, noTorch } from './options';

export const command = defineCommand({
  name: 'bench recsys',
  summary: 'Training samples/s and peak memory (RSS, V8 heap, tfjs tensors) of DeepFM and Deep&Cross, BP and DFA, at batch 512 and 2048.',
  description: `Each configuration streams a synthetic Criteo file through the processed cache; RSS at row
checkpoints shows memory stays flat as rows grow. The PyTorch reference (bench/torch_recsys.py: same
models, configurations, field cardinalities and threads, on random in-memory batches) runs beside it
unless --no-torch. Run it alone: the machine's cores are shared (DFA_NUM_THREADS caps the native threads).`,
  options: {
    models: { type: 'list', of: 'enum', choices: RECSYS_MODELS, default: ['deepfm', 'dcn'], help: 'recommender models' },
    methods: { type: 'list', of: 'enum', choices: ['bp', 'dfa'], default: ['bp', 'dfa'], help: 'training methods' },
    'batch-sizes': { type: 'list', of: 'int', min: 1, default: [512, 2048], help: 'batch sizes' },
    rows: countOption(2_000_000, 'synthetic file size (built once into the cache: minutes)'),
    'stream-rows': { type: 'int', min: 1, help: 'rows trained per configuration (default all rows of the file)' },
    checkpoints: { type: 'list', of: 'int', min: 1, help: 'rows at which memory is recorded (default 250000,1000000; the end is always added)' },
    cache: cacheOption,
    json: benchJson,
    'no-torch': noTorch,
    'torch-seconds': { type: 'number', min: 0, above: true, default: 20, help: 'timed seconds per PyTorch configuration' },
  },
  async run({ options: o }) {
    const { initBackend } = await import('../src/engine/backend');
    await initBackend();
    await benchRecsys({ models: o.models as RecsysModelName[], methods: o.methods as ('bp' | 'dfa')[], batchSizes: o['batch-sizes'], rows: o.rows, streamRows: o['stream-rows'],
      checkpoints: o.checkpoints, cacheDir: o.cache, json: o.json, torch: !o['no-torch'], torchSeconds: o['torch-seconds'] });
  },
});

export interface RecsysBenchOptions {
  models: RecsysModelName[];
  methods: ('bp' | 'dfa')[];
  batchSizes: number[];
  /** rows in the synthetic file (default 2M) */
  rows: number;
  /** rows streamed per configuration (default: the whole file) */
  streamRows?: number;
  /** rows after which memory is recorded (the end is always added) */
  checkpoints?: number[];
  cacheDir?: string;
  json?: string;
  /** run bench/torch_recsys.py beside ours (default true) */
  torch?: boolean;
  /** timed seconds per torch configuration (default 20) */
  torchSeconds?: number;
}

/** One configuration of bench/torch_recsys.py's JSON. */
export interface TorchRecsysConfig { model: string; method: string; batch: number; samplesPerSec: number; msPerStep: number }
interface TorchRecsys { torch: string; threads: number; configs: TorchRecsysConfig[] }

export interface MemorySnapshot { rows: number; rssMB: number; heapMB: number; tensorMB: number }

const MB = 1 << 20;

function snapshot(rows: number): MemorySnapshot {
  const m = process.memoryUsage();
  return { rows, rssMB: m.rss / MB, heapMB: m.heapUsed / MB, tensorMB: tf.memory().numBytes / MB };
}

export async function benchRecsys(o: RecsysBenchOptions): Promise<Record<string, unknown>[]> {
  const ref: DataRef = { kind: 'synthetic', rows: o.rows, seed: 0 };
  const data = await openData(ref, { cacheDir: o.cacheDir, log: (m) => console.error(m) });
  const label = dataLabel(ref);
  const stream = Math.min(o.streamRows ?? data.meta.numRows, data.meta.numRows);
  const results: Record<string, unknown>[] = [];
  for (const model of o.models) {
    for (const method of o.methods) {
      for (const bs of o.batchSizes) {
        // Full batches only: a last, smaller batch has other tensor shapes, and their fresh native
        // buffers would show as RSS growth at the end that streaming more rows does not cause.
        const end = Math.floor(stream / bs) * bs;
        if (end === 0) throw new Error(`dfa bench recsys: ${stream} streamed rows is less than one batch of ${bs}`);
        const marks = [...new Set([...(o.checkpoints ?? [250_000, 1_000_000]).filter((c) => c < end), end])].sort((a, b) => a - b);
        // RSS is the process's: memory earlier configurations freed may stay mapped, so the RSS at
        // the start of each configuration is reported beside its peak.
        const start = snapshot(0);
        const src = data.open();
        const { dropout } = hyperparams(model, method);
        // the run's task and configuration (paper's clipping and weight decay), stepped batch by batch
        const { task, train } = recsysTraining(src, { model, method, lr: 1e-4, dropout, epochs: 1, batchSize: bs, seed: 0 });
        const trainer = new Trainer(task, train);
        const prog = new Progress(end, `${model}/${method} batch ${bs}`);
        let streamed = 0, timed = 0, steps = 0, t0 = 0;
        let peakRss = 0, peakHeap = 0, peakTensor = 0;
        const snaps: MemorySnapshot[] = [];
        let next = 0;
        for (const b of iterateBatches(src, { batchSize: bs, split: 'all', shuffle: true, rng: new Rng(0).fork('batches'), maxRows: end })) {
          trainer.trainOn(b);
          steps++;
          streamed += b.size;
          if (steps === 2) t0 = performance.now(); // timing starts after two warm-up steps
          else if (steps > 2) timed += b.size;
          const s = snapshot(streamed);
          peakRss = Math.max(peakRss, s.rssMB);
          peakHeap = Math.max(peakHeap, s.heapMB);
          peakTensor = Math.max(peakTensor, s.tensorMB);
          while (next < marks.length && streamed >= marks[next]!) {
            snaps.push(s);
            next++;
          }
          prog.update(streamed);
        }
        const sec = (performance.now() - t0) / 1000;
        const first = snaps[0]!, last = snaps[snaps.length - 1]!;
        const r = {
          model, method, batch: bs, steps, streamedRows: streamed, seconds: sec, samplesPerSec: timed / sec,
          startRssMB: start.rssMB, peakRssMB: peakRss, peakHeapMB: peakHeap, peakTensorMB: peakTensor, snapshots: snaps,
          rssGrowthMB: last.rssMB - first.rssMB, heapGrowthMB: last.heapMB - first.heapMB, tensorGrowthMB: last.tensorMB - first.tensorMB,
        };
        results.push(r);
        console.error(`  ${model}/${method} batch ${bs}: ${r.samplesPerSec.toFixed(0)} samples/s, peak RSS ${peakRss.toFixed(0)} MB, ` +
          `RSS ${snaps.map((s) => `${s.rssMB.toFixed(0)} MB @${s.rows}`).join(', ')}`);
        trainer.dispose(); task.dispose(); src.close();
      }
    }
  }
  // PyTorch reference, after ours (so its memory does not show in our process's RSS).
  const threads = Number(process.env.DFA_NUM_THREADS) || cpus().length;
  let torch: TorchRecsys | null = null;
  const torchSkip = o.torch === false ? 'disabled (--no-torch)' : torchMissing();
  if (!torchSkip) {
    const script = join(REPO_ROOT, 'bench', 'torch_recsys.py');
    const n = o.models.length * o.methods.length * o.batchSizes.length;
    console.error(`running ${script} (${n} configurations × ${o.torchSeconds ?? 20} s, ${threads} threads) ...`);
    torch = runTorchJson(script, ['--models', o.models.join(','), '--methods', o.methods.join(','), '--batch-sizes', o.batchSizes.join(','),
      '--seconds', String(o.torchSeconds ?? 20), '--threads', String(threads), '--field-dims', data.meta.fieldDims.join(',')]) as TorchRecsys;
  }
  for (const r of results) {
    const t = torch?.configs.find((c) => c.model === r.model && c.method === r.method && c.batch === r.batch);
    r.torchSamplesPerSec = t ? t.samplesPerSec : null;
    r.oursOverTorch = t ? (r.samplesPerSec as number) / t.samplesPerSec : null;
  }
  console.log(`\nRecommender training, ${data.meta.numRows} rows (${label}), ${threads} thread${threads > 1 ? 's' : ''}; ours streams the file (samples/s includes data streaming), ` +
    (torch ? `torch ${torch.torch} (bench/torch_recsys.py, ${torch.threads} threads) trains on random in-memory batches` : `torch: ${torchSkip}`) + '\n');
  printTable(['model', 'method', 'batch', 'rows streamed', 'samples/s', 'torch samples/s', 'ours/torch', 'RSS MB at start', 'peak RSS MB', 'peak heap MB', 'peak tensors MB', 'RSS MB at rows', 'RSS growth MB (first→last)', 'tensor growth MB'],
    results.map((r) => [r.model as string, r.method as string, r.batch as number, String(r.streamedRows), (r.samplesPerSec as number).toFixed(0),
      r.torchSamplesPerSec === null ? '—' : (r.torchSamplesPerSec as number).toFixed(0), r.oursOverTorch === null ? '—' : (r.oursOverTorch as number).toFixed(2), (r.startRssMB as number).toFixed(0),
      (r.peakRssMB as number).toFixed(0), (r.peakHeapMB as number).toFixed(0), (r.peakTensorMB as number).toFixed(1),
      (r.snapshots as MemorySnapshot[]).map((s) => `${s.rssMB.toFixed(0)}@${s.rows >= 1e6 ? `${+(s.rows / 1e6).toFixed(2)}M` : `${Math.round(s.rows / 1e3)}k`}`).join(' '),
      (r.rssGrowthMB as number).toFixed(1), (r.tensorGrowthMB as number).toFixed(2)]));
  writeJson(o.json, { benchmark: 'recsys', data: label, syntheticRows: data.meta.numRows, streamRowsPerConfig: stream, threads: process.env.DFA_NUM_THREADS ?? null, results,
    torch: torch ? { version: torch.torch, threads: torch.threads, data: 'random in-memory batches', secondsPerConfig: o.torchSeconds ?? 20, configs: torch.configs } : null,
    torchSkip });
  return results;
}
