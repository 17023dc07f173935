/**
 * Per-kernel time of one recommender training step (Trainer.trainOn on the run's task: forward,
 * backward, sparse and dense optimizer), from tf.profile, aggregated by kernel name, plus the
 * step's wall time and the part spent outside kernels (lookups, sparse Adam, JS glue). Random indices, Criteo's 39 fields.
 *   node --import tsx bench/profile_recsys.ts [--model afn|dcn|deepfm] [--method bp|dfa|shallow]
 *     [--batch 2048] [--steps 3] [--top 30] [--shapes] [--windows 3]
 * On a loaded machine compare the CPU time per step (best of --windows windows of --steps steps).
 */
import { initBackend, backendName } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { defineCommand } from '../src/command/command';
import { isScript, runScript } from './options';
import { RECSYS_MODELS, type RecsysModelName } from '../src/suites/recsys/models';
import { hyperparams } from '../src/suites/recsys/paper';
import { recsysTraining } from '../src/suites/recsys/experiments/run';
import { MemoryRowSource, type CriteoBatch } from '../src/suites/recsys/data';
import { Trainer } from '../src/train/trainer';
import { profileKernels, printKernelRows } from './profile_kernels';

export const command = defineCommand({
  name: 'profile recsys',
  invocation: 'node --import tsx bench/profile_recsys.ts',
  summary: "Per-kernel time of one recommender training step (Trainer.trainOn on the run's task), from tf.profile, plus the wall time outside kernels; random indices, Criteo's 39 fields.",
  description: 'On a loaded machine compare the CPU time per step (best of --windows windows of --steps steps).',
  options: {
    model: { type: 'enum', choices: RECSYS_MODELS, default: 'afn', help: 'recommender model' },
    method: { type: 'enum', choices: ['bp', 'dfa', 'shallow'], default: 'dfa', help: 'training method' },
    batch: { type: 'int', min: 1, default: 2048, help: 'batch size' },
    steps: { type: 'int', min: 1, default: 3, help: 'profiled steps (and steps per window)' },
    top: { type: 'int', min: 1, default: 30, help: 'kernels listed' },
    shapes: { type: 'flag', help: 'aggregate by kernel name and input shapes' },
    windows: { type: 'int', min: 1, default: 3, help: 'windows timed for the best wall and CPU time per step' },
  },
  async run({ options: o }) {
    const model = o.model as RecsysModelName, method = o.method as 'bp' | 'dfa' | 'shallow';
    const { batch: B, steps, top, shapes: byShape, windows } = o;
    await initBackend();
    const fieldDims = Array.from({ length: 39 }, (_, i) => (i < 13 ? 40 : 5000));
    // the tables' step (appendix C's dropout, the paper's clipping); no rows to stream: the batches are
    // random (the source only gives the field cardinalities)
    const { task, train } = recsysTraining(new MemoryRowSource(new Int32Array(0), fieldDims), { model, method, lr: 1e-3, weightDecay: 1e-6, dropout: hyperparams(model, method).dropout, epochs: 1, batchSize: B, seed: 0 });
    const trainer = new Trainer(task, train);
    const rng = new Rng(0);
    const batch = (): CriteoBatch => ({
      x: Int32Array.from({ length: B * 39 }, (_, i) => rng.int(fieldDims[i % 39]!)),
      y: Float32Array.from({ length: B }, () => (rng.next() < 0.25 ? 1 : 0)),
      size: B,
    });
    const batches = Array.from({ length: 4 }, batch);
    let k = 0;
    const step = () => { trainer.trainOn(batches[k++ % batches.length]!); };
    for (let i = 0; i < 2; i++) step();
    const p = await profileKernels(step, steps, byShape);
    // On a shared machine wall time includes waiting for a core: also the process's CPU time per step
    // (user + system, all threads), the best of `windows` windows of `steps` steps each.
    let bestWall = Infinity, bestCpu = Infinity;
    for (let w = 0; w < windows; w++) {
      const c0 = process.cpuUsage(), t0 = performance.now();
      for (let s = 0; s < steps; s++) step();
      const c = process.cpuUsage(c0);
      bestWall = Math.min(bestWall, (performance.now() - t0) / steps);
      bestCpu = Math.min(bestCpu, (c.user + c.system) / 1000 / steps);
    }
    console.log(`${backendName()} ${model}/${method} batch ${B}: step ${p.plainMs.toFixed(1)} ms unprofiled (${Math.round(B / p.plainMs * 1000)} samples/s), ` +
      `${p.profiledMs.toFixed(1)} ms profiled, kernels ${p.kernelMs.toFixed(1)} ms, ${p.kernelsPerStep} kernels/step; ` +
      `best of ${windows} windows: ${bestWall.toFixed(1)} ms wall, ${bestCpu.toFixed(1)} ms CPU per step`);
    printKernelRows(p, top);
  },
});

if (isScript(import.meta.url)) await runScript(command);
