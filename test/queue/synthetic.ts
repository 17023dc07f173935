/**
 * A small Experiment for the queue's tests and benchmark: each run iterates a 32-bit hash `steps`
 * times, sleeping `stepMs` per step (so tests wait without spending the shared cores) or spinning
 * (`busy`, for the benchmark), and checkpoints its state after every step in ctx.checkpointDir, so
 * an attempt after a killed one resumes and still ends at the same value. Runs can be told to fail:
 * 'deterministic' (DeterministicRunError), 'same' (the same plain error every time).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeterministicRunError, type Experiment, type RunSpec } from '../../src/command/experiment';

export interface SyntheticOptions {
  runs: number;
  steps: number;
  stepMs: number;
  busy?: boolean;
  fail?: Record<string, 'deterministic' | 'same'>;
}

export interface SyntheticResult {
  value: number;
  /** the step it resumed from (0: from the start) */
  resumedFrom: number;
  pid: number;
  finishedAt: number;
}

interface Params {
  i: number;
  steps: number;
  stepMs: number;
  busy: boolean;
  fail: 'deterministic' | 'same' | null;
}

/** The value a run must end at, computed directly. */
export function expectedValue(i: number, steps: number): number {
  let x = i + 1;
  for (let k = 0; k < steps; k++) x = step(x, k);
  return x;
}

function step(x: number, k: number): number {
  return (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + k) >>> 0;
}

const wait = (ms: number, busy: boolean) => {
  if (!busy) return new Promise((r) => setTimeout(r, ms));
  const t = performance.now();
  while (performance.now() - t < ms);
  return Promise.resolve();
};

export const SYNTHETIC: Experiment<SyntheticOptions, SyntheticResult> = {
  table: 'synthetic',
  plan: (o) => Array.from({ length: o.runs }, (_, i): RunSpec => ({
    id: `cell${i}/seed0`,
    params: { i, steps: o.steps, stepMs: o.stepMs, busy: Boolean(o.busy), fail: o.fail?.[`cell${i}`] ?? null } satisfies Params,
    cost: o.steps,
  })),
  async run(spec, ctx) {
    const p = spec.params as unknown as Params;
    if (p.fail === 'deterministic') throw new DeterministicRunError(`cell${p.i}: settings that cannot work`);
    if (p.fail === 'same') throw new Error(`cell${p.i}: the same failure every time`);
    ctx.log(`pid ${process.pid}`);
    let x = p.i + 1, k = 0;
    const file = ctx.checkpointDir ? join(ctx.checkpointDir, 'state.json') : null;
    if (file && existsSync(file)) ({ x, k } = JSON.parse(readFileSync(file, 'utf8')) as { x: number; k: number });
    const resumedFrom = k;
    if (resumedFrom) ctx.log(`resumed from step ${k}`);
    while (k < p.steps) {
      await wait(p.stepMs, p.busy);
      x = step(x, k);
      k++;
      if (file) {
        mkdirSync(ctx.checkpointDir!, { recursive: true });
        writeFileSync(file + '.tmp', JSON.stringify({ x, k }));
        renameSync(file + '.tmp', file);
      }
      ctx.progress(k / p.steps, { step: k });
    }
    return { value: x, resumedFrom, pid: process.pid, finishedAt: Date.now() };
  },
  assemble(o, outcomes) {
    const notes: string[] = [];
    const rows = SYNTHETIC.plan(o).map((sp) => {
      const out = outcomes.get(sp.id);
      if (out && !out.ok) notes.push(`${sp.id} failed: ${out.error}`);
      const v = out?.ok ? out.result.value : NaN;
      return { table: 'synthetic', dataset: '-', model: '-', method: sp.id, metric: 'value', mean: v, std: 0, seeds: out?.ok ? 1 : 0, paper: null, values: out?.ok ? [v] : [] };
    });
    return { rows, notes, digits: 0 };
  },
};
