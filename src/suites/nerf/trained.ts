/**
 * A trained NeRF from its run folder (written through the core checkpoint store by `dfa reproduce
 * figA1|table1`): the model rebuilt from the recorded settings, its weights, the method, and the
 * camera and render path of its scene. `dfa render` needs nothing else (no data folder).
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Checkpoint } from '../../train/checkpoint';
import { FileCheckpointStore } from '../../train/checkpoint_fs';
import type { NerfCamera } from './data/scene';
import { NeRF, type NerfConfig } from './models/nerf';

export interface TrainedNerf {
  model: NeRF;
  method: string;
  seed: number;
  scene: string;
  camera: NerfCamera;
  renderPoses: Float64Array[];
  /** steps trained */
  step: number;
}

/** `path`: a run folder, or the checkpoint.json in one. */
export function loadTrainedNerf(path: string): TrainedNerf {
  const dir = existsSync(path) && statSync(path).isFile() && basename(path) === 'checkpoint.json' ? dirname(path) : path;
  const none = `no trained NeRF in ${dir} (train one with 'dfa reproduce figA1' or 'dfa reproduce table1'; the run folders are <out>/<scene>-<method>-seed<k>)`;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(none);
  const ck: Checkpoint | null = new FileCheckpointStore(dir).load();
  if (!ck) throw new Error(none);
  const s = ck.settings ?? {};
  if (ck.task !== 'nerf' || !s.model || !s.camera || !Array.isArray(s.renderPoses)) throw new Error(`${dir}: the checkpoint is not a NeRF run (task '${ck.task}')`);
  const model = new NeRF(s.model as NerfConfig, ck.seed);
  try {
    for (const [name, v] of Object.entries(model.namedVariables())) {
      const w = ck.weights[name];
      if (!w || w.shape.join(',') !== v.shape.join(',')) throw new Error(`${dir}: the checkpoint has no weights '${name}' of shape [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(w.data, v.shape)));
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return {
    model, method: ck.method, seed: ck.seed, scene: String(s.scene), step: ck.step,
    camera: s.camera as NerfCamera, renderPoses: (s.renderPoses as number[][]).map((p) => Float64Array.from(p)),
  };
}
