/**
 * `dfa bench projection`: memory and time of the direct methods' projection v·B (v [batch, outs])
 * at hidden widths 1k–64k, dense (a stored outs × width matrix, one GEMM) vs structured (random
 * signs + three fast Walsh–Hadamard transforms on the host, no stored matrix). The two are timed
 * window by window in turn (dense, structured, dense, ...), so drift of a shared machine hits both.
 *
 * Memory, per projection: 'stored' is what lives between steps (dense: B and its scaled copy
 * g·s·B that every step multiplies by, 2 · outs · width · 4 bytes; structured: 3n signs); 'per
 * call' is what one projection allocates (dense: the output; structured: the rows × n work buffer,
 * its host copy of the output and the output tensor).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { FeedbackMatrix } from '../src/feedback/matrix';
import type { Projection } from '../src/feedback/projection';
import { StructuredProjection } from '../src/feedback/structured';
import { printTable, writeJson } from './report';
import { calibrate, median, timedWindow } from './timing';
import { defineCommand } from '../src/command/command';
import { benchJson, countOption, windowSecondsOption, windowsOption } from './options';

export const command = defineCommand({
  name: 'bench projection',
  summary: "Memory and ms per call of the direct methods' projection v·B (v [batch, outs]), dense (stored matrix, GEMM) vs structured (signs + fast Walsh-Hadamard, no matrix); no PyTorch column.",
  options: {
    widths: { type: 'list', of: 'int', min: 1, default: [1024, 2048, 4096, 8192, 16384, 32768, 65536], help: 'hidden widths' },
    outs: { type: 'list', of: 'int', min: 1, default: [10, 1000], help: 'output sizes' },
    batch: countOption(128, 'rows of v'),
    windows: windowsOption(5),
    'window-s': windowSecondsOption(0.5),
    'max-dense-mb': { type: 'number', min: 0, above: true, default: 2048, help: 'skip dense above this many MB stored' },
    json: benchJson,
  },
  async run({ options: o }) {
    await benchProjection({ widths: o.widths, outs: o.outs, batch: o.batch, windows: o.windows, windowS: o['window-s'], maxDenseMb: o['max-dense-mb'], json: o.json });
  },
});

export interface ProjectionBenchOptions {
  widths: number[];
  outs: number[];
  batch: number;
  windows: number;
  windowS: number;
  /** skip dense above this many MB stored (its matrix would not fit) */
  maxDenseMb: number;
  json?: string;
}

interface Row {
  outs: number;
  width: number;
  denseStoredMb: number;
  structuredStoredKb: number;
  densePerCallMb: number;
  structuredPerCallMb: number;
  denseMs: number;
  structuredMs: number;
  denseWindows: number[];
  structuredWindows: number[];
}

const MB = 1024 * 1024;

export async function benchProjection(o: ProjectionBenchOptions): Promise<void> {
  const info = await initBackend();
  const rng = new Rng(0);
  const rows: Row[] = [];
  for (const outs of o.outs) {
    for (const width of o.widths) {
      const v = tf.tensor2d(rng.normalArray(o.batch * outs), [o.batch, outs]);
      const denseStored = 2 * outs * width * 4;
      const dense = denseStored / MB <= o.maxDenseMb ? new FeedbackMatrix(outs, width, 'widest', rng.fork(`dense:${outs}:${width}`)) : null;
      const structured = new StructuredProjection(outs, width, 'widest', rng.fork(`structured:${outs}:${width}`));
      const step = (p: Projection) => () => p.project(v, width).dispose();
      const steps = { dense: dense ? step(dense) : null, structured: step(structured) };
      for (const f of Object.values(steps)) f?.(); // first call builds dense's scaled copy
      const reps = { dense: steps.dense ? calibrate(steps.dense, o.windowS) : 0, structured: calibrate(steps.structured, o.windowS) };
      const times = { dense: [] as number[], structured: [] as number[] };
      for (let w = 0; w < o.windows; w++) {
        if (steps.dense) times.dense.push(timedWindow(steps.dense, reps.dense).s * 1000);
        times.structured.push(timedWindow(steps.structured, reps.structured).s * 1000);
      }
      const n = structured.n;
      rows.push({
        outs, width,
        denseStoredMb: denseStored / MB,
        structuredStoredKb: (3 * n * 4) / 1024,
        densePerCallMb: (o.batch * width * 4) / MB,
        structuredPerCallMb: (o.batch * n * 4 + 2 * o.batch * width * 4) / MB,
        denseMs: times.dense.length ? median(times.dense) : NaN,
        structuredMs: median(times.structured),
        denseWindows: times.dense, structuredWindows: times.structured,
      });
      dense?.dispose();
      structured.dispose();
      v.dispose();
      const r = rows[rows.length - 1]!;
      console.error(`outs ${outs} width ${width}: dense ${r.denseMs.toFixed(3)} ms, structured ${r.structuredMs.toFixed(3)} ms`);
    }
  }
  console.log(`\nProjection v·B, v [${o.batch}, outs], float32, ms per call (median of ${o.windows} interleaved windows); backend '${info.name}'\n`);
  printTable(
    ['outs', 'width', 'dense stored MB', 'structured stored KB', 'dense per call MB', 'structured per call MB', 'dense ms', 'structured ms', 'structured/dense'],
    rows.map((r) => [r.outs, r.width, r.denseStoredMb, r.structuredStoredKb, r.densePerCallMb, r.structuredPerCallMb, r.denseMs, r.structuredMs, r.structuredMs / r.denseMs]),
  );
  if (rows.some((r) => Number.isNaN(r.denseMs))) console.log(`\n— dense skipped: its stored matrix would exceed --max-dense-mb ${o.maxDenseMb}`);
  writeJson(o.json, { benchmark: 'projection', backend: info.name, batch: o.batch, windows: o.windows, windowS: o.windowS, results: rows, date: new Date().toISOString() });
}
