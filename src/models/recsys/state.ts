/**
 * A recommender model's learned state, for checkpoints: its dense variables and BatchNorm running
 * statistics by name, and its sparse tables (rows, Adam moments, step count) in `tables` order.
 */
import * as tf from '@tensorflow/tfjs';
import type { SavedTensor } from '../../optim/optimizer';
import type { RecsysModel } from '../../suites/recsys/models/model';
import type { SparseEmbeddingState } from '../../nn/sparse_embedding';

export interface RecsysModelState {
  model: string;
  vars: Record<string, SavedTensor>;
  tables: SparseEmbeddingState[];
}

/**
 * Each variable by its name without the engine's uniqueness suffix (`mlp.fc1.W_12` → `mlp.fc1.W`),
 * so the names of one model are the same in every process; two variables of a model never share one.
 */
export function recsysVarNames(model: RecsysModel): Map<tf.Variable, string> {
  const names = new Map<tf.Variable, string>();
  const seen = new Set<string>();
  for (const v of [...model.denseVars, ...model.stateVars]) {
    const n = v.name.replace(/_\d+$/, '');
    if (seen.has(n)) throw new Error(`${model.name}: two variables are named '${n}'`);
    seen.add(n);
    names.set(v, n);
  }
  return names;
}

export function getRecsysState(model: RecsysModel): RecsysModelState {
  const vars: Record<string, SavedTensor> = {};
  for (const [v, n] of recsysVarNames(model)) vars[n] = { shape: v.shape, data: v.dataSync() as Float32Array };
  return { model: model.name, vars, tables: model.tables.map((t) => t.getState()) };
}

/** Restore a state saved from a model of the same kind and shape; names what does not fit. */
export function setRecsysState(model: RecsysModel, s: RecsysModelState): void {
  if (s.model !== model.name) throw new Error(`saved state is of a ${s.model} model, this one is ${model.name}`);
  const names = recsysVarNames(model);
  const saved = new Set(Object.keys(s.vars));
  for (const [v, n] of names) {
    const t = s.vars[n];
    if (!t) throw new Error(`saved ${s.model} state has no variable '${n}'`);
    if (t.shape.join() !== v.shape.join()) throw new Error(`saved ${s.model} state: '${n}' is [${t.shape}], the model's is [${v.shape}]`);
    saved.delete(n);
  }
  if (saved.size) throw new Error(`saved ${s.model} state has variables this model lacks: ${[...saved].join(', ')}`);
  if (s.tables.length !== model.tables.length) throw new Error(`saved ${s.model} state has ${s.tables.length} tables, the model ${model.tables.length}`);
  for (const [v, n] of names) tf.tidy(() => v.assign(tf.tensor(s.vars[n]!.data, v.shape)));
  model.tables.forEach((t, i) => t.setState(s.tables[i]!));
}
