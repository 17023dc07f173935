/** The engine's public pieces: seeded randomness and the fused ops (browser-safe). */
export { Rng, type RngState } from './rng';
export { sparseSoftmaxCrossEntropy } from './ops/sparse_softmax_cross_entropy';
export { logSoftmax } from './ops/log_softmax';
