export { Dense } from './dense';
export type { DenseOptions } from './dense';
export { dropout } from './dropout';
export { activation, ACTIVATIONS } from './activations';
export type { ActivationName } from './activations';
export { initWeights, initBias, INIT_KINDS } from './init';
export type { InitKind } from './init';
