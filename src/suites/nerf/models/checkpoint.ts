/**
 * A trained NeRF on disk (`<run>/model.json`): the config, the method it was trained with, the
 * camera intrinsics and render path of its scene, and the weights. `dfa render <run>` needs
 * nothing else (no data folder).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NeRF, type NerfConfig } from './nerf';

export interface NerfCheckpoint {
  format: 'dfa-ts/nerf-1';
  method: string;
  seed: number;
  config: NerfConfig;
  camera: { H: number; W: number; focal: number; near: number; far: number; ndc: boolean; whiteBackground: boolean };
  scene: string;
  renderPoses: number[][];
  metrics?: Record<string, number | null>;
  weights: ReturnType<NeRF['getWeights']>;
}

export function saveCheckpoint(path: string, model: NeRF, meta: Omit<NerfCheckpoint, 'format' | 'config' | 'weights' | 'renderPoses'> & { renderPoses: Float64Array[] }): void {
  mkdirSync(dirname(path), { recursive: true });
  const ck: NerfCheckpoint = { format: 'dfa-ts/nerf-1', ...meta, renderPoses: meta.renderPoses.map((p) => Array.from(p)), config: model.cfg, weights: model.getWeights() };
  writeFileSync(path, JSON.stringify(ck));
}

/** `path` is a model.json or a run folder holding one. */
export function loadCheckpoint(path: string): { model: NeRF; ck: NerfCheckpoint } {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'model.json') : path;
  if (!existsSync(file)) throw new Error(`no NeRF checkpoint at ${file} (train one with 'dfa reproduce figA1' or 'dfa reproduce table1')`);
  let ck: NerfCheckpoint;
  try {
    ck = JSON.parse(readFileSync(file, 'utf8')) as NerfCheckpoint;
  } catch (e) {
    throw new Error(`${file}: not a readable JSON checkpoint (${(e as Error).message})`);
  }
  if (ck.format !== 'dfa-ts/nerf-1') throw new Error(`${file}: not a dfa-ts NeRF checkpoint (format '${String(ck.format)}')`);
  const model = new NeRF(ck.config, ck.seed);
  model.setWeights(ck.weights);
  return { model, ck };
}
