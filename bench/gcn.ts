/**
 * GCN training ms/epoch on Cora and CiteSeer for BP, DFA and shallow, beside
 * ../shared/anchors/torch_gcn.py run in the same invocation (sparse and dense features).
 * An epoch = forward + loss + backward + Adam step (full batch), as the anchor times it;
 * evaluation = one forward. Interleaved windows, median, contention guard (bench/timing.ts).
 *
 * `dfa bench gcn` (bench/command.ts) runs `command`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { predictClasses } from '../src/metrics/classification';
import { Trainer } from '../src/train/trainer';
import { loadGraphData, type PlanetoidName } from '../src/suites/graphs/data';
import { nodeData } from '../src/suites/graphs/data/node_data';
import { archSetting, type GraphMethod } from '../src/suites/graphs/paper';
import { NodeTask } from '../src/suites/graphs/train/node_task';
import { interleaved, median } from './timing';
import { ANCHORS, runTorchJson, torchMissing } from './torch';
import { defineCommand } from '../src/command/command';
import { benchJson, noTorch, windowSecondsOption, windowsOption } from './options';

export const command = defineCommand({
  name: 'bench gcn',
  summary: 'GCN training ms/epoch on Cora and CiteSeer (BP, DFA, shallow) beside ../shared/anchors/torch_gcn.py run in the same invocation.',
  options: {
    datasets: { type: 'list', of: 'enum', choices: ['cora', 'citeseer', 'pubmed'], default: ['cora', 'citeseer'], help: 'Planetoid datasets' },
    modes: { type: 'list', of: 'enum', choices: ['bp', 'dfa', 'shallow'], default: ['bp', 'dfa', 'shallow'], help: 'training methods' },
    windows: windowsOption(9),
    'window-s': windowSecondsOption(1),
    json: benchJson,
    'no-torch': noTorch,
  },
  async run({ options: o }) {
    await benchGcn({ datasets: o.datasets as PlanetoidName[], modes: o.modes as GraphMethod[], windows: o.windows, windowS: o['window-s'], json: o.json, torch: !o['no-torch'] });
  },
});

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
    const runs: { task: NodeTask; trainer: Trainer<null> }[] = [];
    for (const m of modes) {
      const s = archSetting('gcn', m);
      const data = nodeData(d, s, 0);
      const rng = new Rng(0);
      const model = s.build(data.x, data.graph, data.numClasses, rng.fork('init'));
      const task = new NodeTask(model, data, { name: `${ds}/gcn` });
      // the wing's training step: the core Trainer on the graph wing's task, one full-batch step per call
      const trainer = new Trainer(task, { method: m, seed: 0, epochs: 1, optimizer: { name: 'adam', lr: s.lr }, rng });
      runs.push({ task, trainer });
      for (let i = 0; i < 20; i++) trainer.stepNext(); // warm-up
      steps[`${m}:train`] = () => void trainer.stepNext();
      // evaluation = one forward and the predicted classes
      steps[`${m}:eval`] = () => {
        const out = tf.tidy(() => model.forward(null, null));
        predictClasses(out);
        out.dispose();
      };
    }
    const w = interleaved(steps, windows, windowS);
    for (const r of runs) {
      r.trainer.dispose();
      r.task.dispose();
    }
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
