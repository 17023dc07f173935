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
import { parseArgs, Options } from '../src/cli/args';
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

type Model = 'tiny' | 'full';
type Mode = 'bp' | 'dfa' | 'shallow';
const MODELS: Record<Model, { cfg: NerfConfig; rays: number; renderRays: number; windows: number }> = {
  tiny: { cfg: { ...NERF_TINY, nSamples: 64 }, rays: 1024, renderRays: 4096, windows: 5 },
  full: { cfg: { ...NERF_FULL, nSamples: 64, nImportance: 128 }, rays: 256, renderRays: 1023, windows: 3 },
};
const LR: Record<Mode, number> = { bp: 5e-4, dfa: 1e-4, shallow: 5e-4 };

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

export async function benchNerf(argv: string[]): Promise<void> {
  const o = new Options(parseArgs(argv).options, 'dfa bench nerf');
  const models = o.list('models', ['tiny', 'full']) as Model[];
  const modes = o.list('modes', ['bp', 'dfa', 'shallow']) as Mode[];
  const windowsOpt = o.str('windows');
  const windowS = o.num('window-s', 1.5);
  const renderOpt = o.str('render-rays');
  const noTorch = o.flag('no-torch');
  const json = o.str('json');
  o.done();
  for (const m of models) if (!(m in MODELS)) throw new Error(`dfa bench nerf: --models must list tiny, full; got '${m}'`);
  for (const m of modes) if (!(m in LR)) throw new Error(`dfa bench nerf: --modes must list bp, dfa, shallow; got '${m}'`);
  const windowsOf = (m: Model) => positive(windowsOpt, MODELS[m].windows, '--windows');
  const renderRaysOf = (m: Model) => positive(renderOpt, MODELS[m].renderRays, '--render-rays', true);
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

function positive(v: string | undefined, def: number, flag: string, zero = false): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < (zero ? 0 : 1)) throw new Error(`dfa bench nerf: ${flag} must be an integer >= ${zero ? 0 : 1}, got '${v}'`);
  return n;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchNerf(process.argv.slice(2));
