/**
 * Picks table1 budgets that fit a stated time. Measures, in CPU seconds (robust on a shared
 * machine), one training step of the full NeRF at `--rays` rays with BP and DFA on each scene at
 * table1's resolutions, and one held-out evaluation (table1's views, with NeRF-Dual), then prints
 * for each of `--minutes` the largest `--iters` (a multiple of 10) whose runs fit, and the command.
 * CPU seconds bound the wall time on a quiet machine from above (threads only shorten it).
 *   DFA_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 node --import tsx bench/nerf_budget.ts \
 *     [--scenes lego,fern] [--rays 32] [--steps 3] [--minutes 20,40] [--lego-factor 4] [--fern-downscale 12] [--test-views 2]
 */
import { defineCommand } from '../src/command/command';
import { isScript, runScript } from './options';
import { initBackend } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import type { Method } from '../src/feedback';
import { Adam } from '../src/optim';
import { evaluateNerf } from '../src/suites/nerf/evaluate';
import { testViewsOf } from '../src/suites/nerf/experiments/run';
import { loadScene, type SceneName, type SceneSpec } from '../src/suites/nerf/experiments/scenes';
import { NeRF } from '../src/suites/nerf/models/nerf';
import { NERF_ADAM, NERF_FULL } from '../src/suites/nerf/paper';
import { NerfTask } from '../src/suites/nerf/task';

export const command = defineCommand({
  name: 'nerf budget',
  invocation: 'DFA_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 node --import tsx bench/nerf_budget.ts',
  summary: 'Picks table1 budgets that fit a stated time: CPU seconds of a full-NeRF training step (BP, DFA) and of one held-out evaluation per scene, then the largest --iters that fits each of --minutes.',
  options: {
    scenes: { type: 'list', of: 'enum', choices: ['lego', 'fern'], default: ['lego', 'fern'], help: 'scenes' },
    rays: { type: 'int', min: 1, default: 32, help: 'rays per step' },
    steps: { type: 'int', min: 1, default: 3, help: 'timed steps per run' },
    minutes: { type: 'list', of: 'number', min: 0, above: true, default: [20, 40], help: 'time budgets in minutes' },
    'lego-factor': { type: 'int', min: 1, default: 4, help: "lego's downscale factor" },
    'fern-downscale': { type: 'int', min: 1, default: 12, help: "fern's downscale factor" },
    'test-views': { type: 'int', min: 1, default: 2, help: "lego's held-out views" },
  },
  async run({ options: o }) {
    const { rays, steps, minutes, 'lego-factor': legoFactor, 'fern-downscale': fernDownscale, 'test-views': legoViews } = o;
    const scenes = o.scenes as SceneName[];
    await initBackend();

    /** CPU seconds per call of f, after one warm-up call. */
    const cpu = (f: () => void, n: number) => {
      f();
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) f();
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1e6 / n;
    };
    /** CPU seconds of one call of f (no warm-up: for calls that take seconds). */
    const once = (f: () => void) => {
      const c0 = process.cpuUsage();
      f();
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1e6;
    };

    const methods: Method[] = ['bp', 'dfa'];
    let perIter = 0, fixed = 0; // CPU s of one step of every run together; CPU s of the evaluations
    for (const name of scenes) {
      const spec: SceneSpec = name === 'lego' ? { name, data: null, factor: legoFactor } : { name, data: null, factor: fernDownscale };
      const scene = loadScene(spec);
      const views = testViewsOf(scene, { testViews: name === 'lego' ? legoViews : null });
      for (const method of methods) {
        const model = new NeRF(NERF_FULL, 0);
        const task = new NerfTask(model, scene, { batchRays: rays, seed: 0, noiseStd: name === 'fern' ? 1 : 0, imagesPerBatch: Math.min(name === 'fern' ? 8 : 1, scene.train.length) });
        const fb = task.createFeedback(method, new Rng(1));
        const opt = new Adam({ lr: 1e-4, ...NERF_ADAM });
        const it = task.batches()[Symbol.iterator]();
        const step = () => {
          const r = fb.grads(() => task.loss(it.next().value!, fb), model.variables);
          r.value.dispose();
          opt.apply(r.grads);
        };
        const s = cpu(step, steps);
        // Every run evaluates once; the cost does not depend on the method (the same network is rendered).
        perIter += s;
        let line = `${name} ${method}: ${(s * 1000).toFixed(0)} ms CPU per step of ${rays} rays (${(rays / s).toFixed(1)} rays/s)`;
        if (method === methods[0]) {
          const e = once(() => void evaluateNerf(model, scene, views, { dual: true }));
          fixed += e * methods.length;
          line += `; evaluation of ${views.length} views ${scene.W}×${scene.H} with NeRF-Dual: ${e.toFixed(1)} s CPU (once per run)`;
        }
        console.log(line);
        model.dispose();
      }
    }
    console.log(`\nall ${scenes.length * methods.length} runs: ${perIter.toFixed(2)} s CPU per step + ${fixed.toFixed(0)} s of evaluations`);
    for (const m of minutes) {
      const iters = Math.floor((m * 60 - fixed) / perIter / 10) * 10;
      if (iters < 10) {
        console.log(`${m} min: the evaluations alone take ${(fixed / 60).toFixed(1)} min; lower --lego-factor/--fern-downscale or --test-views`);
        continue;
      }
      const est = (fixed + iters * perIter) / 60;
      console.log(`${m} min: --iters ${iters} (~${est.toFixed(1)} min CPU): npx dfa reproduce table1 --scenes ${scenes.join(',')} --iters ${iters} --rays ${rays} --also tableA5`);
    }
  },
});

if (isScript(import.meta.url)) await runScript(command);
