/**
 * Where a NeRF training step's time goes: per-kernel time from tf.profile (aggregated by kernel
 * name, or name and shapes), the step's wall time, and its JS-side stages (sampling, encoding,
 * inverse-CDF) timed apart; page faults and GC per step from the process.
 *   node --import tsx bench/profile_nerf.ts [--model full|tiny] [--method bp|dfa|shallow] [--rays 256] [--steps 3] [--top 30] [--shapes]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, backendName } from '../src/engine/backend';
import { Rng } from '../src/engine/rng';
import { defineCommand } from '../src/command/command';
import { isScript, runScript } from './options';
import { Adam } from '../src/optim';
import { NeRF } from '../src/suites/nerf/models/nerf';
import { NERF_ADAM, NERF_FULL, NERF_TINY } from '../src/suites/nerf/paper';
import { NerfTask } from '../src/suites/nerf/task';
import { syntheticScene } from './nerf_scene';
import { sceneRays } from '../src/suites/nerf/models/rays';
import { METHODS, type Method } from '../src/feedback/methods';
import { profileKernels, printKernelRows } from './profile_kernels';

export const command = defineCommand({
  name: 'profile nerf',
  invocation: 'node --import tsx bench/profile_nerf.ts',
  summary: "Where a NeRF training step's time goes: per-kernel time from tf.profile, the step's wall time, page faults per step.",
  options: {
    model: { type: 'enum', choices: ['full', 'tiny'], default: 'full', help: 'full NeRF or Tiny-NeRF' },
    method: { type: 'enum', choices: METHODS, default: 'bp', help: 'training method' },
    rays: { type: 'int', min: 1, help: 'rays per step (default 256 full, 1024 tiny)' },
    steps: { type: 'int', min: 1, default: 3, help: 'timed and profiled steps' },
    top: { type: 'int', min: 1, default: 30, help: 'kernels listed' },
    shapes: { type: 'flag', help: 'aggregate by kernel name and input shapes' },
    'no-kernels': { type: 'flag', help: 'no per-kernel times' },
    cpu: { type: 'flag', help: 'per-kernel CPU time (user + system; run with one thread) instead of tf.profile' },
    render: { type: 'flag', help: 'profile a rendering call of --rays rays instead of a training step' },
  },
  async run({ options: o }) {
    const which = o.model, method = o.method as Method;
    const rays = o.rays ?? (which === 'full' ? 256 : 1024);
    const { steps, top, shapes: byShape, 'no-kernels': noKernels, cpu: cpuKernels, render } = o;
    await initBackend();
    const cfg = which === 'full' ? NERF_FULL : NERF_TINY;
    const model = new NeRF(cfg, 0);
    const scene = syntheticScene(64, 64, 8, 0);
    const task = new NerfTask(model, scene, { batchRays: rays, seed: 0 });
    const fb = task.createFeedback(method, new Rng(1));
    const vars = model.variables;
    const opt = new Adam({ lr: 5e-4, ...NERF_ADAM });
    const it = task.batches()[Symbol.iterator]();
    const renderRays = sceneRays(scene, scene.train[0]!.pose, Int32Array.from({ length: rays }, (_, i) => i));
    const step = render
      ? () => void model.render(renderRays, scene)
      : () => {
        const b = it.next().value!;
        const r = fb.grads(() => task.loss(b, fb), vars);
        r.value.dispose();
        opt.apply(r.grads);
      };
    for (let i = 0; i < 2; i++) step();
    const ru0 = process.resourceUsage();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    const ms = (performance.now() - t0) / steps;
    const ru1 = process.resourceUsage();
    console.log(`${backendName()} ${which} ${render ? 'render' : method} ${rays} rays: ${ms.toFixed(1)} ms/step = ${((rays * 1000) / ms).toFixed(0)} rays/s; per step: user ${((ru1.userCPUTime - ru0.userCPUTime) / 1000 / steps).toFixed(0)} ms, system ${((ru1.systemCPUTime - ru0.systemCPUTime) / 1000 / steps).toFixed(0)} ms, minor faults ${((ru1.minorPageFault - ru0.minorPageFault) / steps).toFixed(0)}`);
    if (!noKernels && cpuKernels) {
      // CPU time (user + system of the process: run with one thread) per kernel and input shapes
      const agg = new Map<string, { us: number; n: number }>();
      for (const k of tf.getKernelsForBackend(backendName())) {
        const f = k.kernelFunc;
        tf.unregisterKernel(k.kernelName, k.backendName);
        tf.registerKernel({ ...k, kernelFunc: (args) => {
          const c0 = process.cpuUsage();
          const r = f(args);
          const c = process.cpuUsage(c0);
          const key = byShape ? `${k.kernelName} ${JSON.stringify(Object.values(args.inputs).map((t) => (t as tf.TensorInfo)?.shape))}` : k.kernelName;
          const a = agg.get(key) ?? { us: 0, n: 0 };
          a.us += c.user + c.system;
          a.n++;
          agg.set(key, a);
          return r;
        } });
      }
      const c0 = process.cpuUsage();
      for (let i = 0; i < steps; i++) step();
      const c = process.cpuUsage(c0);
      const rows = [...agg].sort((a, b) => b[1].us - a[1].us);
      const kus = rows.reduce((s, r) => s + r[1].us, 0);
      console.log(`CPU per step: ${((c.user + c.system) / 1000 / steps).toFixed(0)} ms, of which kernels ${(kus / 1000 / steps).toFixed(0)} ms`);
      for (const [k, a] of rows.slice(0, top)) console.log(`${(a.us / 1000 / steps).toFixed(1).padStart(8)} ms ${String(a.n / steps).padStart(5)}x  ${k}`);
    } else if (!noKernels) {
      const p = await profileKernels(step, steps, byShape);
      console.log(`kernels ${p.kernelMs.toFixed(1)} ms of ${p.profiledMs.toFixed(1)} ms profiled, ${p.kernelsPerStep} kernels/step`);
      printKernelRows(p, top);
    }
  },
});

if (isScript(import.meta.url)) await runScript(command);
