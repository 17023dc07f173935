/**
 * GCN training ms/epoch on Cora and CiteSeer for BP, DFA and shallow, beside
 * ../shared/anchors/torch_gcn.py run in the same invocation (sparse and dense features).
 * An epoch = forward + loss + backward + Adam step (full batch), as the anchor times it;
 * evaluation = one forward. Interleaved windows, median, contention guard (bench/timing.ts).
 *
 * Wire-up (one line in src/cli/commands/bench.ts): `dfa bench gcn` →
 *   `(await import('../../../bench/gcn')).benchGcn({ datasets, modes, windows, windowS, json, torch })`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { Feedback } from '../src/feedback';
import type { PlanetoidName } from '../src/suites/graphs/data';
import { loadGraphData, nodeTask } from '../src/suites/graphs/data/node_data';
import { AdamL2 } from '../src/models/graph/adam';
import type { GraphMethod } from '../src/suites/graphs/models/node';
import { archSetting } from '../src/suites/graphs/paper';
import { nodeStep, predict } from '../src/suites/graphs/train/node_task';
import { interleaved, median } from './timing';
import { ANCHORS, runTorchJson, torchMissing } from './torch';

export interface GcnBenchOptions {
  datasets?: PlanetoidName[];
  modes?: GraphMethod[];
  windows?: number;
  windowS?: number;
  json?: string;
  torch?: boolean;
  /** torch_gcn.py --features: sparse (default, like ours) or dense (the paper's PyG code) */
  torchFeatures?: 'sparse' | 'dense';
}

interface TorchGcn {
  datasets: Record<string, { modes?: Record<string, { train_ms_per_epoch: number; eval_ms_per_epoch: number }>; skipped?: string }>;
  env: unknown;
}

export async function benchGcn(o: GcnBenchOptions = {}): Promise<unknown> {
  const backend = await initBackend();
  const datasets = o.datasets ?? ['cora', 'citeseer'];
  const modes = o.modes ?? ['bp', 'dfa', 'shallow'];
  const windows = o.windows ?? 9, windowS = o.windowS ?? 1;
  const ours: Record<string, Record<string, { trainMs: number; evalMs: number; maxForeign: number }>> = {};
  for (const ds of datasets) {
    const d = await loadGraphData(ds);
    const steps: Record<string, () => void> = {};
    for (const m of modes) {
      const s = archSetting('gcn', m);
      const task = nodeTask(d, s, 0);
      const rng = new Rng(0);
      const model = s.build(task.x, task.graph, task.numClasses, rng.fork('init'));
      const fb = new Feedback({ method: m, rng });
      const opt = new AdamL2(model.groups(), s.lr);
      for (let i = 0; i < 20; i++) nodeStep(model, task, fb, opt, rng); // warm-up
      steps[`${m}:train`] = () => void nodeStep(model, task, fb, opt, rng);
      steps[`${m}:eval`] = () => void predict(model, fb, rng);
    }
    const w = interleaved(steps, windows, windowS);
    ours[ds] = {};
    for (const m of modes) {
      const tr = w[`${m}:train`]!, ev = w[`${m}:eval`]!;
      ours[ds]![m] = { trainMs: 1e3 * median(tr.map((x) => x.s)), evalMs: 1e3 * median(ev.map((x) => x.s)), maxForeign: Math.max(...tr.map((x) => x.foreign), ...ev.map((x) => x.foreign)) };
    }
  }
  let torch: TorchGcn | null = null, torchSkip: string | null = null;
  if (o.torch !== false) {
    torchSkip = torchMissing();
    if (!torchSkip) {
      console.log('ours (ms):', JSON.stringify(ours));
      torch = runTorchJson(join(ANCHORS, 'torch_gcn.py'), ['--datasets', datasets.join(','), '--modes', modes.join(','), '--seeds', '1', '--epochs', '11', '--features', o.torchFeatures ?? 'sparse', '--timing-windows', String(windows)]) as TorchGcn;
    }
  }
  console.log(`GCN ms/epoch (backend ${backend.name}, ${cpus().length} CPUs; torch: ${torch ? `torch_gcn.py --features ${o.torchFeatures ?? 'sparse'}` : torchSkip ?? 'skipped'})`);
  console.log(`${'dataset'.padEnd(9)} ${'mode'.padEnd(8)} ${'ours train'.padStart(10)} ${'ours eval'.padStart(9)} ${'torch train'.padStart(11)} ${'torch eval'.padStart(10)} ${'ours/torch'.padStart(10)}`);
  for (const ds of datasets) for (const m of modes) {
    const a = ours[ds]![m]!, t = torch?.datasets[ds]?.modes?.[m];
    console.log(`${ds.padEnd(9)} ${m.padEnd(8)} ${a.trainMs.toFixed(2).padStart(10)} ${a.evalMs.toFixed(2).padStart(9)} ${(t ? t.train_ms_per_epoch.toFixed(2) : '—').padStart(11)} ${(t ? t.eval_ms_per_epoch.toFixed(2) : '—').padStart(10)} ${(t ? (a.trainMs / t.train_ms_per_epoch).toFixed(2) : '—').padStart(10)}`);
  }
  const res = { benchmark: 'gcn', backend: backend.name, windows, windowS, ours, torch, torchSkip };
  if (o.json) {
    mkdirSync(dirname(o.json), { recursive: true });
    writeFileSync(o.json, JSON.stringify(res, null, 2) + '\n');
  }
  return res;
}
