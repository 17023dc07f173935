/** Optimizers by name, for configs and the CLI. */
import { Adam, AdamW } from './adam';
import type { Optimizer, ParamGroup } from './optimizer';
import { SGD } from './sgd';

export { Optimizer } from './optimizer';
export type { OptimizerOptions, OptimizerState, ParamGroup, SavedTensor } from './optimizer';
export { SGD } from './sgd';
export { Adam, AdamW } from './adam';
export { SparseAdam } from './sparse_adam';
export type { SparseAdamOptions, SparseAdamState } from './sparse_adam';

export type OptimizerName = 'sgd' | 'adam' | 'adamw';
export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adam', 'adamw'];

export interface OptimizerConfig {
  name: OptimizerName;
  lr: number;
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export function makeOptimizer(c: OptimizerConfig, groups?: ParamGroup[]): Optimizer {
  switch (c.name) {
    case 'sgd':
      return new SGD({ ...c, groups });
    case 'adam':
      return new Adam({ ...c, groups });
    case 'adamw':
      return new AdamW({ ...c, groups });
    default:
      throw new Error(`unknown optimizer '${String(c.name)}'; expected one of ${OPTIMIZERS.join(', ')}`);
  }
}
