/**
 * Recommender models of the paper's §3.1.2 (torchfm architectures) with sparse embedding
 * tables and the paper's DFA placement. `createRecsysModel('deepfm', fieldDims, opts)`.
 */
import { AFN, type AFNOptions } from './afn';
import { DeepCrossNetwork, type DCNOptions } from './dcn';
import { DeepFM, type DeepFMOptions } from './deepfm';
import { FM, type FMOptions } from './fm';
import { RECSYS_MODELS, type RecsysModel, type RecsysModelName, type RecsysForward } from './model';

export { AFN, DeepCrossNetwork, DeepFM, FM, RECSYS_MODELS };
export type { RecsysModel, RecsysModelName, RecsysForward };
export { CrossNetwork } from './cross_network';
export { LNN } from './lnn';
export { factorizationMachine } from './fm_term';

export type RecsysModelOptions = FMOptions & DeepFMOptions & DCNOptions & AFNOptions;

export const MODEL_TITLES: Record<RecsysModelName, string> = { fm: 'FM', deepfm: 'DeepFM', dcn: 'Deep&Cross', afn: 'AFN' };

export function parseRecsysModel(s: string): RecsysModelName {
  const k = s.toLowerCase().replace(/[^a-z]/g, '');
  const alias: Record<string, RecsysModelName> = { fm: 'fm', deepfm: 'deepfm', dcn: 'dcn', deepcross: 'dcn', deepandcross: 'dcn', afn: 'afn' };
  const m = alias[k];
  if (!m) throw new Error(`unknown recommender model '${s}'; expected one of ${RECSYS_MODELS.join(', ')}`);
  return m;
}

export function createRecsysModel(name: RecsysModelName, fieldDims: number[], opts: RecsysModelOptions = {}): RecsysModel {
  switch (name) {
    case 'fm': return new FM(fieldDims, opts);
    case 'deepfm': return new DeepFM(fieldDims, opts);
    case 'dcn': return new DeepCrossNetwork(fieldDims, opts);
    case 'afn': return new AFN(fieldDims, opts);
  }
}
