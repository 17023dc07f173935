/**
 * Our side of bench/torch_afn_alignment.py: trains AFN with DFA (lr, dropout 0, seed 0) on the
 * synthetic cache and every `--every` steps prints the alignment at each feedback point on the
 * current training batch in train mode (as TinyDFA's AlignmentMeasurement does), both as a plain
 * per-sample cosine and with TinyDFA's conditioning (entries with |g| <= 1e-8 zeroed, a sample
 * whose two gradients both sum to 0 counted as 1), plus the mean |signal| and |gradient|.
 *
 *   node --import tsx bench/afn_alignment_probe.ts --cache /work/tmp-recsys --steps 150 --every 50 [--lr 1e-3]
 */
import * as tf from '@tensorflow/tfjs';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/engine/backend';
import { openData } from '../src/suites/recsys/data/ref';
import { iterateBatches, type CriteoBatch } from '../src/suites/recsys/data';
import { recsysTraining } from '../src/suites/recsys/experiments/run';
import { batchLoss } from '../src/suites/recsys/experiments/task';
import { alignmentStat } from '../src/feedback';
import { Rng } from '../src/engine/rng';
import { Trainer } from '../src/train/trainer';

const { values: a } = parseArgs({ options: { cache: { type: 'string' }, rows: { type: 'string', default: '2000000' }, steps: { type: 'string', default: '150' }, every: { type: 'string', default: '50' }, lr: { type: 'string', default: '1e-3' } } });
await initBackend();
const steps = Number(a.steps), every = Number(a.every), lr = Number(a.lr);
const data = await openData({ kind: 'synthetic', rows: Number(a.rows), seed: 0 }, { cacheDir: a.cache });
const src = data.open();
const { task, train } = recsysTraining(src, { model: 'afn', method: 'dfa', lr, dropout: 0, epochs: 1, batchSize: 2048, seed: 0 });
const trainer = new Trainer(task, train);
const { model } = task, fb = trainer.fb;
const rng = new Rng(0).fork('t');

/** mean per-sample cosine with TinyDFA's conditioning (the plain one is alignmentStat's) */
function tinyDfaCos(x: Float32Array, y: Float32Array, cols: number, sens: number): number {
  const rows = x.length / cols;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let d = 0, nx = 0, ny = 0, sx = 0, sy = 0;
    for (let c = r * cols; c < (r + 1) * cols; c++) {
      const u = Math.abs(x[c]!) <= sens ? 0 : x[c]!, v = Math.abs(y[c]!) <= sens ? 0 : y[c]!;
      d += u * v; nx += u * u; ny += v * v; sx += u; sy += v;
    }
    total += sx + sy === 0 ? 1 : d / Math.max(Math.sqrt(nx * ny), 1e-30);
  }
  return total / rows;
}

async function probe(tag: string, b: CriteoBatch): Promise<void> {
  const ls = model.tables.map((t) => t.lookup(model.globalIndices(b.x), true));
  const rows = ls.map((l) => l.gathered);
  const f = () => batchLoss(model, b, rows, { fb, training: true, rng: new Rng(1) });
  const out: string[] = [];
  await fb.alignment(f, [...Object.values(model.namedVariables()), ...rows as tf.Variable[]], {
    inspect: (name, s, g) => {
      const cols = s.shape[s.rank - 1]!;
      const x = s.dataSync() as Float32Array, z = g.dataSync() as Float32Array;
      const mean = (v: Float32Array) => v.reduce((m, e) => m + Math.abs(e), 0) / v.length;
      out.push(`${name} ${alignmentStat(name, s, g).mean.toFixed(3)} (TinyDFA ${tinyDfaCos(x, z, cols, 1e-8).toFixed(3)}; |signal| ${mean(x).toExponential(1)}, |grad| ${mean(z).toExponential(1)})`);
    },
  });
  ls.forEach((l) => l.dispose());
  console.log(`${tag}: ${out.join(', ')}`);
}

let step = 0;
for (const b of iterateBatches(src, { batchSize: 2048, split: 'train', splitSeed: 0, shuffle: true, rng: rng.fork('e1'), maxRows: steps * 2048 })) {
  trainer.trainOn(b);
  if (++step % every === 0) await probe(`step ${step}`, b);
}
src.close();
trainer.dispose();
task.dispose();
