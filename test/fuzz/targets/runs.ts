/**
 * What a run leaves on disk: checkpoints (the core store: index JSON with checksums + binary),
 * a table's stored run results, and a `dfa train` run folder's JSON files.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RunStore, type StoredRun } from '../../../src/command/run_store';
import { TASKS } from '../../../src/tasks';
import { type Checkpoint, packCheckpoint } from '../../../src/train/checkpoint';
import { FileCheckpointStore } from '../../../src/train/checkpoint_fs';
import { RunDir } from '../../../src/train/run_dir';
import { train } from '../../../src/train/trainer';
import type { FileSet, FuzzTarget } from '../harness';

// The checkpoints are made by real (tiny) trainings on tfjs's plain-JS backend: this process fuzzes file formats, not kernels.
await tf.setBackend('cpu');

async function checkpointSeed(method: 'dfa' | 'bp', optimizer: 'adam' | 'sgd'): Promise<FileSet> {
  const dir = mkdtempSync(join(tmpdir(), 'dfa-fuzz-ckpt-'));
  try {
    const task = TASKS.rings!.create({ seed: 1, n: 40, hidden: [4], batchSize: 20 });
    await train(task, { method, seed: 1, epochs: 2, optimizer: { name: optimizer, lr: 1e-2 } }, { store: new FileCheckpointStore(dir) });
    task.dispose();
    return { 'checkpoint.json': new Uint8Array(readFileSync(join(dir, 'checkpoint.json'))), 'checkpoint-2.bin': new Uint8Array(readFileSync(join(dir, 'checkpoint-2.bin'))) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const CKPT_SEEDS = [await checkpointSeed('dfa', 'adam'), await checkpointSeed('bp', 'sgd')];
const packed = (c: Checkpoint) => {
  const p = packCheckpoint(c);
  return p.json + Buffer.from(p.bin).toString('base64');
};
const SEED_CHECKPOINTS = new Set(CKPT_SEEDS.map((s) => {
  const meta = JSON.parse(new TextDecoder().decode(s['checkpoint.json']!)) as { checkpoint: string };
  return meta.checkpoint + Buffer.from(s['checkpoint-2.bin']!).toString('base64');
}));

export const checkpoint: FuzzTarget<Checkpoint | null> = {
  name: 'checkpoint',
  seeds: CKPT_SEEDS,
  load: (dir) => new FileCheckpointStore(dir).load(),
  // checksummed: what loads is exactly what was saved
  check: (c) => {
    if (!c) throw new Error('no checkpoint');
    if (!SEED_CHECKPOINTS.has(packed(c))) throw new Error(`epoch ${c.epoch}: the loaded checkpoint differs from the one saved`);
  },
};

/** Stored run results of a table: one finished run, one failed. */
const RUNS_SEED: FileSet = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'dfa-fuzz-runs-'));
  try {
    const store = new RunStore(dir, 'table3');
    store.save({ id: 'table3/cora/gcn/dfa/seed0', params: { dataset: 'cora', model: 'gcn', method: 'dfa', seed: 0, epochs: 200 } }, { ok: true, result: { test: 0.812, val: 0.79, epochs: 200 } }, 12.5);
    store.save({ id: 'table3/cora/gat/bp/seed1', params: { dataset: 'cora', model: 'gat', method: 'bp', seed: 1, epochs: 200 } }, { ok: false, error: 'ind.cora.tx: file is truncated', deterministic: true }, 0.2);
    const files: FileSet = {};
    for (const f of ['table3_cora_gcn_dfa_seed0.json', 'table3_cora_gat_bp_seed1.json']) files[`table3/${f}`] = new Uint8Array(readFileSync(join(dir, 'table3', f)));
    files['config.json'] = new TextEncoder().encode(JSON.stringify({ task: 'rings', taskOpts: { n: 400 }, cfg: { method: 'dfa', seed: 0, epochs: 3 } }, null, 2) + '\n');
    files['result.json'] = new TextEncoder().encode(JSON.stringify({ metric: { name: 'accuracy', higherIsBetter: true }, best: 0.9 }, null, 2) + '\n');
    return files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

interface RunFiles {
  runs: StoredRun[];
  reused: number;
}

export const runResult: FuzzTarget<RunFiles> = {
  name: 'run-result',
  seeds: [RUNS_SEED],
  load: (dir) => {
    const store = new RunStore(dir, 'table3');
    const runs = store.all();
    const specs = [
      { id: 'table3/cora/gcn/dfa/seed0', params: { dataset: 'cora', model: 'gcn', method: 'dfa', seed: 0, epochs: 200 } },
      { id: 'table3/cora/gat/bp/seed1', params: { dataset: 'cora', model: 'gat', method: 'bp', seed: 1, epochs: 200 } },
    ];
    const reused = specs.filter((sp) => store.load(sp)).length;
    const rd = new RunDir(dir);
    rd.readJson('config.json');
    rd.readJson('result.json');
    return { runs, reused };
  },
  check: ({ runs }) => {
    for (const r of runs) {
      if (r.format !== 'dfa-ts-run' || typeof r.outcome?.ok !== 'boolean') throw new Error('a run without its envelope');
      if (!r.outcome.ok && typeof r.outcome.error !== 'string') throw new Error('a failed run without its error');
    }
  },
};
