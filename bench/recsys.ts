/**
 * Recommender throughput and memory: training samples/s and peak memory of DeepFM and
 * Deep&Cross at batch 512 and 2048 (BP and DFA), streaming a synthetic Criteo file from the
 * processed cache. Memory is sampled (RSS, and tfjs's tensor bytes) after the first 10 % of the
 * streamed rows and at the end: with streaming and sparse row updates it must stay flat as rows
 * grow (the growth column).
 */
import { Rng } from '../src/engine/rng';
import { Feedback } from '../src/feedback';
import { iterateBatches } from '../src/data/criteo';
import { createRecsysModel, trainStep, type RecsysModelName } from '../src/models/recsys';
import { Adam } from '../src/train/optim';
import { resolveData } from '../src/experiments/recsys/data';
import { printTable, writeJson } from './report';
import * as tf from '@tensorflow/tfjs';

export interface RecsysBenchOptions {
  models: RecsysModelName[];
  methods: ('bp' | 'dfa')[];
  batchSizes: number[];
  /** rows in the synthetic file (default 2M) */
  rows: number;
  /** rows streamed per configuration (default 20 batches' worth) */
  streamRows?: number;
  cacheDir?: string;
  json?: string;
}

const MB = 1 << 20;

export async function benchRecsys(o: RecsysBenchOptions): Promise<void> {
  const { data } = await resolveData({ synthetic: o.rows, cacheDir: o.cacheDir }, (m) => console.error(m));
  const results: Record<string, unknown>[] = [];
  for (const model of o.models) {
    for (const method of o.methods) {
      for (const bs of o.batchSizes) {
        const src = data.open();
        const m = createRecsysModel(model, src.fieldDims, { seed: 0, dropout: model === 'deepfm' ? 0.5 : 0 });
        const fb = new Feedback({ method, seed: 0, scaling: 'layer' });
        const opt = new Adam({ lr: 1e-4 });
        const rng = new Rng(0);
        const stream = o.streamRows ?? 20 * bs;
        let rows = 0, steps = 0, peakRss = 0, peakTf = 0, rssAt10 = 0, tfAt10 = 0;
        let t0 = 0;
        for (const b of iterateBatches(src, { batchSize: bs, split: 'train', shuffle: true, rng: rng.fork('b'), maxRows: stream })) {
          if (b.size < bs) break;
          trainStep(m, b, fb, opt, { lr: 1e-4 }, rng);
          steps++;
          if (steps === 2) t0 = performance.now(); // after warm-up
          if (steps > 2) rows += b.size;
          const rss = process.memoryUsage().rss, tfb = tf.memory().numBytes;
          peakRss = Math.max(peakRss, rss);
          peakTf = Math.max(peakTf, tfb);
          if (!rssAt10 && (steps * bs) >= stream * 0.1 && steps > 2) { rssAt10 = rss; tfAt10 = tfb; }
        }
        const sec = (performance.now() - t0) / 1000;
        const endRss = process.memoryUsage().rss, endTf = tf.memory().numBytes;
        const r = {
          model, method, batch: bs, steps, samplesPerSec: rows / sec, peakRssMB: peakRss / MB, peakTensorMB: peakTf / MB,
          rssGrowthMB: (endRss - rssAt10) / MB, tensorGrowthMB: (endTf - tfAt10) / MB, streamedRows: steps * bs,
        };
        results.push(r);
        console.error(`  ${model}/${method} batch ${bs}: ${r.samplesPerSec.toFixed(0)} samples/s, peak RSS ${r.peakRssMB.toFixed(0)} MB, growth ${r.rssGrowthMB.toFixed(1)} MB`);
        fb.dispose(); opt.dispose(); m.dispose(); src.close();
      }
    }
  }
  printTable(['model', 'method', 'batch', 'samples/s', 'peak RSS MB', 'peak tensors MB', 'RSS growth MB (10%→end)', 'tensor growth MB', 'rows streamed'],
    results.map((r) => [r.model as string, r.method as string, r.batch as number, (r.samplesPerSec as number).toFixed(0), (r.peakRssMB as number).toFixed(0),
      (r.peakTensorMB as number).toFixed(1), (r.rssGrowthMB as number).toFixed(1), (r.tensorGrowthMB as number).toFixed(2), r.streamedRows as number]));
  writeJson(o.json, { benchmark: 'recsys', syntheticRows: o.rows, results });
}
