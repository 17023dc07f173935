/**
 * Runs the regression set (cases.ts) in this process and writes the numbers each case produced
 * as one JSON object { case: { key: number[] } } to the path given. Timings are left out; every
 * other number a case writes is kept. Run it through regression.test.ts (which pins the thread
 * count), or by hand:
 *   DFA_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 node --import tsx test/regression/run.ts out.json
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/engine/backend';
import { dispatch } from '../../src/cli/dispatch';
import { runFixedSteps } from '../../src/playground/session';
import { CoraSession } from '../../src/playground/cora';
import { decodeSettings } from '../../src/playground/settings';
import { parsePlanetoidFiles, RAW_SUFFIXES } from '../../src/suites/graphs/data/parse';
import { dataPath } from '../../src/data/paths';
import { CASES } from './cases';

export type Numbers = Record<string, number[]>;

/** Reproduce tables: one entry per cell (its per-seed values, mean and std). */
function fromRows(j: { rows: { table: string; dataset: string; model: string; method: string; metric: string; mean: number; std: number; values?: number[] }[] }): Numbers {
  const out: Numbers = {};
  for (const r of j.rows) out[`${r.table}|${r.dataset}|${r.model}|${r.method}|${r.metric}`] = [...(r.values ?? []), r.mean, r.std];
  return out;
}

interface Epoch {
  epoch: number; trainLoss: number; val: { loss: number; metric: number }; test: { loss: number; metric: number };
  alignment?: { name: string; mean: number; std: number }[]; angles?: { name: string; degrees: number }[];
}

/** Training runs: per epoch its losses and metrics, alignment and matrix angles. */
function fromEpochs(prefix: string, r: { epochs: Epoch[]; bestEpoch: number; testAtBest: number }): Numbers {
  const out: Numbers = { [`${prefix}best`]: [r.bestEpoch, r.testAtBest] };
  for (const e of r.epochs) {
    out[`${prefix}epoch${e.epoch}`] = [e.trainLoss, e.val.loss, e.val.metric, e.test.loss, e.test.metric];
    for (const a of e.alignment ?? []) out[`${prefix}epoch${e.epoch}|align|${a.name}`] = [a.mean, a.std];
    for (const a of e.angles ?? []) out[`${prefix}epoch${e.epoch}|angle|${a.name}`] = [a.degrees];
  }
  return out;
}

async function playground(): Promise<Record<string, Numbers>> {
  const toy = await runFixedSteps({ ...decodeSettings('task=spirals&methods=bp,dfa,fa,shallow').settings, seed: 5 }, 60);
  const t: Numbers = {};
  for (const [m, r] of Object.entries(toy.methods)) {
    t[`${m}|losses`] = r.losses;
    t[`${m}|final`] = [r.final.loss, r.final.metric, r.final.testLoss, r.final.testMetric];
    t[`${m}|alignment`] = r.alignment;
  }
  const raw = join(dataPath('cora'), 'raw');
  const files = new Map(RAW_SUFFIXES.map((s) => [`ind.cora.${s}`, new Uint8Array(readFileSync(join(raw, `ind.cora.${s}`)))] as const));
  const s = new CoraSession({ ...decodeSettings('task=cora&methods=bp,dfa,fa,shallow').settings, seed: 3 }, parsePlanetoidFiles('cora', files));
  const c: Numbers = {};
  try {
    for (let i = 0; i < 15; i++) s.stepAll().forEach((l, k) => (c[`${s.runs[k]!.method}|losses`] ??= []).push(l));
    for (const r of s.runs) {
      const e = r.evaluate();
      c[`${r.method}|final`] = [e.loss, e.metric, e.testLoss, e.testMetric, e.valMetric ?? NaN];
      c[`${r.method}|alignment`] = (await r.alignment()).map((a) => a.mean);
    }
  } finally {
    s.dispose();
  }
  return { 'playground-toy': t, 'playground-cora': c };
}

export async function runRegression(opts: { only?: string[] } = {}): Promise<Record<string, Numbers>> {
  await initBackend();
  const out: Record<string, Numbers> = {};
  const dir = mkdtempSync(join(tmpdir(), 'dfa-regression-'));
  try {
    for (const c of CASES) {
      if ((opts.only && !opts.only.includes(c.name))) continue;
      if (c.backends && !c.backends.includes(tf.getBackend() as 'native' | 'cpu')) continue;
      const argv = c.argv.map((a) => a.replaceAll('{dir}', dir));
      const t0 = performance.now();
      const rc = await dispatch(argv);
      console.error(`regression case ${c.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if (rc !== 0) throw new Error(`regression case ${c.name}: 'dfa ${argv.join(' ')}' exited with ${rc}`);
      const j = JSON.parse(readFileSync(join(dir, c.json), 'utf8'));
      if (c.kind === 'rows') out[c.name] = fromRows(j);
      else if (c.kind === 'train') out[c.name] = fromEpochs('', j);
      else out[c.name] = Object.assign({}, ...j.methods.map((m: { method: string } & Parameters<typeof fromEpochs>[1]) => fromEpochs(`${m.method}|`, m)));
    }
    if (!opts.only || opts.only.some((n) => n.startsWith('playground'))) Object.assign(out, await playground());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, ...only] = process.argv.slice(2);
  if (!path) throw new Error('usage: run.ts OUT.json [case ...]');
  const res = await runRegression({ only: only.length ? only : undefined });
  writeFileSync(path, JSON.stringify({ backend: tf.getBackend(), cases: res }, null, 1) + '\n');
}
