/**
 * `dfa bench nerf`: NeRF training rays/s (BP, DFA, shallow) and rendering rays/s, Tiny-NeRF and
 * the full NeRF, beside ../shared/anchors/torch_nerf.py (training) and bench/torch_nerf_render.py
 * (inference, the anchors' networks under no_grad) run in the same invocation, with the MLP's
 * GFLOP/s as a fraction of the GEMM rate measured in the same run.
 *
 * A training step is one step of the library's own loop (Trainer.stepNext on the NerfTask: a batch
 * of rays, sampling, encoding, both networks, volume rendering, backward by the method, Adam), on
 * a synthetic Blender-like scene (bench/nerf_scene.ts), at the anchors' sizes: Tiny-NeRF 1024 rays
 * × 64 samples; full NeRF 256 rays × (64 + 128) samples. Learning rates as the anchors (BP and
 * shallow 5e-4, DFA 1e-4). Interleaved windows, median (bench/timing.ts). Rendering: NeRF.render
 * over `--render-rays` rays of a view (deterministic depths, chunks of 65536 network evaluations),
 * median of `--windows` calls after two warm-up calls.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { defineCommand, type Command } from '../src/command/command';
import type { OptionValues } from '../src/command/options';
import { initBackend, backendName } from '../src/engine/backend';
import type { Method } from '../src/feedback';
import { Trainer } from '../src/train/trainer';
import { NeRF, type NerfConfig } from '../src/suites/nerf/models/nerf';
import { sceneRays } from '../src/suites/nerf/models/rays';
import { NERF_ADAM, NERF_FULL, NERF_TINY } from '../src/suites/nerf/paper';
import { gemmPeakGflops, mlpFlopsPerRay } from '../src/suites/nerf/speed';
import { NerfTask } from '../src/suites/nerf/task';
import { syntheticScene } from './nerf_scene';
import { printTable, writeJson } from './report';
import { interleaved, median, type Window } from './timing';
import { ANCHORS, runTorchJson, torchMissing } from './torch';
import { benchJson, isScript, noTorch, runScript, windowSecondsOption } from './options';

type Model = 'tiny' | 'full';
type Mode = 'bp' | 'dfa' | 'shallow';
const MODELS: Record<Model, { cfg: NerfConfig; rays: number; renderRays: number; windows: number }> = {
  tiny: { cfg: { ...NERF_TINY, nSamples: 64 }, rays: 1024, renderRays: 4096, windows: 5 },
  full: { cfg: { ...NERF_FULL, nSamples: 64, nImportance: 128 }, rays: 256, renderRays: 1023, windows: 3 },
};
const LR: Record<Mode, number> = { bp: 5e-4, dfa: 1e-4, shallow: 5e-4 };

const OPTIONS = {
  models: { type: 'list', of: 'enum', choices: ['tiny', 'full'], default: ['tiny', 'full'], help: 'Tiny-NeRF, full NeRF' },
  modes: { type: 'list', of: 'enum', choices: ['bp', 'dfa', 'shallow'], default: ['bp', 'dfa', 'shallow'], help: 'training methods' },
  windows: { type: 'int', min: 1, help: 'timed windows (default 5 tiny, 3 full)' },
  'window-s': windowSecondsOption(1.5),
  'render-rays': { type: 'int', min: 0, help: 'rays per rendering call (default 4096 tiny, 1023 full; 0: no rendering)' },
  'no-torch': noTorch,
  json: benchJson,
} as const;

export const command: Command<typeof OPTIONS> = defineCommand({
  name: 'bench nerf',
  summary: 'NeRF training rays/s (BP, DFA, shallow) and rendering rays/s, Tiny-NeRF and full NeRF, beside ../shared/anchors/torch_nerf.py and bench/torch_nerf_render.py; MLP GFLOP/s vs the GEMM peak of the run.',
  options: OPTIONS,
  async run({ options }) {
    await benchNerf(options);
  },
});

interface TorchTrain { modes: Record<string, { rays_per_s: number; median_ms: number }> }
interface TorchRender { rays_per_s: number }

/** Median seconds of `windows` calls of f after two warm-up calls. */
function timeCalls(f: () => void, windows: number): number[] {
  f();
  f();
  const out: number[] = [];
  for (let i = 0; i < windows; i++) {
    const t0 = performance.now();
    f();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

export async function benchNerf(o: OptionValues<typeof OPTIONS>): Promise<void> {
  const models = o.models as Model[];
  const modes = o.modes as Mode[];
  const windowS = o['window-s'];
  const noTorch = o['no-torch'];
  const json = o.json;
  const windowsOf = (m: Model) => o.windows ?? MODELS[m].windows;
  const renderRaysOf = (m: Model) => o['render-rays'] ?? MODELS[m].renderRays;
  await initBackend();
  const why = noTorch ? 'skipped (--no-torch)' : torchMissing();
  const peak = gemmPeakGflops();
  console.log(`NeRF training and rendering, backend ${backendName()}, ${cpus().length} cores; GEMM peak of this run ${peak.toFixed(1)} GFLOP/s ([N, 256] × [256, 256], N up to 32768)`);
  const scene = syntheticScene(64, 64, 8, 0);
  const rows: Array<Array<string | number>> = [];
  const doc: Record<string, unknown> = { backend: backendName(), cores: cpus().length, gemmPeakGflops: peak, models: {} };
  for (const name of models) {
    const { cfg, rays } = MODELS[name];
    const windows = windowsOf(name);
    const renderRays = renderRaysOf(name);
    console.log(`\n${name === 'tiny' ? 'Tiny-NeRF (3×128, no view head)' : 'full NeRF (coarse + fine 8×256, skip, view head)'}: ${rays} rays × ${cfg.nSamples}${cfg.nImportance ? ` + ${cfg.nImportance}` : ''} samples per step, ${windows} windows`);
    const steps: Record<string, () => void> = {};
    const made: Array<{ model: NeRF }> = [];
    for (const mode of modes) {
      const model = new NeRF(cfg, 0);
      made.push({ model });
      const task = new NerfTask(model, scene, { batchRays: rays, seed: 0 });
      const trainer = new Trainer(task, { method: mode as Method, seed: 0, epochs: 1, optimizer: { name: 'adam', lr: LR[mode], ...NERF_ADAM }, evalEvery: 0, alignEvery: 0 });
      steps[mode] = () => void trainer.stepNext();
    }
    const wins = interleaved(steps, windows, windowS);
    let render: number[] | null = null;
    const renderModel = made[0]!.model;
    if (renderRays > 0) {
      const r = sceneRays(scene, scene.train[0]!.pose, Int32Array.from({ length: renderRays }, (_, i) => i % (scene.H * scene.W)));
      render = timeCalls(() => void renderModel.render(r, scene), windows);
    }
    let torchTrain: TorchTrain | null = null;
    let torchRender: TorchRender | null = null;
    if (!why) {
      const full = name === 'full' ? ['--full'] : [];
      torchTrain = runTorchJson(join(ANCHORS, 'torch_nerf.py'), [...full, '--modes', modes.join(','), '--windows', String(windows)]) as TorchTrain;
      if (renderRays > 0) torchRender = runTorchJson(join(import.meta.dirname, 'torch_nerf_render.py'), [...full, '--rays', String(renderRays), '--windows', String(windows)]) as TorchRender;
    }
    const res: Record<string, unknown> = {};
    for (const mode of modes) {
      const s = median(wins[mode]!.map((w: Window) => w.s));
      const raysPerS = rays / s;
      const gflops = (raysPerS * mlpFlopsPerRay(made[modes.indexOf(mode)]!.model, mode)) / 1e9;
      const t = torchTrain?.modes[mode]?.rays_per_s ?? NaN;
      rows.push([name, mode, s * 1000, raysPerS, t, raysPerS / t, gflops, (100 * gflops) / peak]);
      res[mode] = { msPerStep: s * 1000, raysPerS, torchRaysPerS: t, mlpGflops: gflops, peakPercent: (100 * gflops) / peak, windows: wins[mode] };
    }
    if (render) {
      const s = median(render);
      const raysPerS = renderRays / s;
      const pts = cfg.nSamples * renderModel.coarse.macsPerPoint + (renderModel.fine ? (cfg.nSamples + cfg.nImportance) * renderModel.fine.macsPerPoint : 0);
      const gflops = (raysPerS * 2 * pts) / 1e9;
      const t = torchRender?.rays_per_s ?? NaN;
      rows.push([name, 'render', s * 1000, raysPerS, t, raysPerS / t, gflops, (100 * gflops) / peak]);
      res.render = { rays: renderRays, msPerCall: s * 1000, raysPerS, torchRaysPerS: t, mlpGflops: gflops, peakPercent: (100 * gflops) / peak, calls: render };
    }
    (doc.models as Record<string, unknown>)[name] = { rays, samples: cfg.nSamples + cfg.nImportance, results: res, torch: { train: torchTrain, render: torchRender } };
    for (const m of made) m.model.dispose();
  }
  console.log('');
  printTable(['model', 'mode', 'ms/call', 'rays/s', 'torch rays/s', 'vs torch', 'MLP GFLOP/s', '% GEMM peak'], rows);
  console.log("(training: ms per step; render: ms per call of --render-rays rays; 'vs torch' > 1 is faster than PyTorch)");
  if (why) console.log(`PyTorch columns: ${why}`);
  writeJson(json, doc);
}

if (isScript(import.meta.url)) await runScript(command);
