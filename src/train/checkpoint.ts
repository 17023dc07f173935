/**
 * Checkpoints: everything needed so that a run killed after epoch k and resumed ends identical
 * to one never stopped: weights, optimizer state, feedback matrices, RNG state, schedule state and
 * the metric history. Browser-safe: (de)serialisation to JSON + one binary blob; file IO lives in
 * checkpoint_fs.ts.
 */
import type { RngState } from '../engine/rng';
import type { FeedbackState } from '../feedback';
import type { OptimizerState, SavedTensor } from '../optim/optimizer';
import type { PlateauState } from '../optim/schedule';
import type { EpochRecord } from './trainer';

export interface Checkpoint {
  /** 1: before settings were recorded; 2: with settings, task state and best weights */
  version: 1 | 2;
  task: string;
  method: string;
  seed: number;
  /** everything that defines the run (Trainer.settings()): a resume with other settings is refused */
  settings?: Record<string, unknown>;
  /** epochs completed */
  epoch: number;
  /** optimizer steps done */
  step: number;
  weights: Record<string, SavedTensor>;
  optimizer: OptimizerState;
  feedback: FeedbackState;
  rng: { dropout: RngState };
  plateau: PlateauState | null;
  history: EpochRecord[];
  /** TrainTask.getState() */
  taskState?: unknown;
  bestWeights?: Record<string, Float32Array>;
}

/**
 * The settings that differ between a saved run and this one, one "key: A there, B here" each
 * (nested settings compared as JSON).
 */
export function describeDifferences(saved: Record<string, unknown>, current: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  const show = (v: unknown) => (v === undefined ? 'unset' : typeof v === 'string' ? `'${v}'` : JSON.stringify(v));
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  for (const k of new Set([...Object.keys(saved), ...Object.keys(current)])) {
    const a = saved[k], b = current[k];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (isObj(a) && isObj(b)) out.push(...describeDifferences(a, b, `${prefix}${k}.`));
    else out.push(`${prefix}${k}: ${show(a)} there, ${show(b)} here`);
  }
  return out;
}

export interface CheckpointStore<T = Checkpoint> {
  load(): T | null;
  save(c: T): void;
  /** where it is, for messages */
  describe(): string;
}

/** Keeps the last checkpoint in memory (tests, browsers). Stores a packed copy, as a file would. */
export class MemoryCheckpointStore implements CheckpointStore {
  private packed: { json: string; bin: Uint8Array } | null = null;
  load(): Checkpoint | null {
    return this.packed ? unpackCheckpoint(this.packed.json, this.packed.bin) : null;
  }
  save(c: Checkpoint): void {
    this.packed = packCheckpoint(c);
  }
  describe(): string {
    return 'memory';
  }
}

/** JSON with every Float32Array replaced by {$f32: [offset, length]} into one binary blob (any state object). */
export function packFloat32Json(x: unknown): { json: string; bin: Uint8Array } {
  const chunks: Float32Array[] = [];
  let offset = 0;
  const json = JSON.stringify(x, (_k, v) => {
    if (v instanceof Float32Array) {
      chunks.push(v);
      const ref = { $f32: [offset, v.length] };
      offset += v.length;
      return ref;
    }
    return v;
  });
  const all = new Float32Array(offset);
  let o = 0;
  for (const ch of chunks) {
    all.set(ch, o);
    o += ch.length;
  }
  return { json, bin: new Uint8Array(all.buffer) };
}

/** The inverse of packFloat32Json; the arrays are views of one copy of `bin`. */
export function unpackFloat32Json<T>(json: string, bin: Uint8Array): T {
  if (bin.length % 4 !== 0) throw new Error(`checkpoint: binary data has ${bin.length} bytes, not a whole number of float32 (truncated file?)`);
  const copy = new Uint8Array(bin.length);
  copy.set(bin);
  const all = new Float32Array(copy.buffer);
  return JSON.parse(json, (_k, v) => {
    if (v && typeof v === 'object' && Array.isArray(v.$f32)) {
      const [off, len] = v.$f32 as [number, number];
      if (off + len > all.length) throw new Error('checkpoint: binary data is shorter than its index says (truncated file?)');
      return all.subarray(off, off + len);
    }
    return v;
  }) as T;
}

export function packCheckpoint(c: Checkpoint): { json: string; bin: Uint8Array } {
  return packFloat32Json(c);
}

export function unpackCheckpoint(json: string, bin: Uint8Array): Checkpoint {
  const c = unpackFloat32Json<Checkpoint>(json, bin);
  if (c.version !== 1 && c.version !== 2) throw new Error(`checkpoint: unsupported version ${String(c.version)}`);
  return c;
}
