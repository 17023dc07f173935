/** Weight initialisers drawing from a seeded Rng (never tf.random*), so a seed fixes the model. */
import { Rng } from '../engine/rng';

/**
 * 'glorot': U(±sqrt(6/(in+out))) (Glorot & Bengio; suits tanh).
 * 'he': N(0, 2/in) (ReLU).
 * 'lecun': N(0, 1/in).
 * 'torch': U(±1/sqrt(in)), PyTorch's nn.Linear default (weights and biases).
 */
export type InitKind = 'glorot' | 'he' | 'lecun' | 'torch';
export const INIT_KINDS: readonly InitKind[] = ['glorot', 'he', 'lecun', 'torch'];

/** inDim × outDim weights; `fanIn` (default inDim) sets the scale. */
export function initWeights(kind: InitKind, rng: Rng, inDim: number, fanOut: number, fanIn = inDim): Float32Array {
  const n = inDim * fanOut;
  switch (kind) {
    case 'glorot': {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      return rng.uniformArray(n, -a, a);
    }
    case 'he':
      return rng.normalArray(n, 0, Math.sqrt(2 / fanIn));
    case 'lecun':
      return rng.normalArray(n, 0, Math.sqrt(1 / fanIn));
    case 'torch': {
      const a = 1 / Math.sqrt(fanIn);
      return rng.uniformArray(n, -a, a);
    }
    default:
      throw new Error(`unknown initialiser '${String(kind)}'; expected one of ${INIT_KINDS.join(', ')}`);
  }
}

/** Biases: zeros, except 'torch' which draws U(±1/sqrt(in)) like nn.Linear. */
export function initBias(kind: InitKind, rng: Rng, fanIn: number, fanOut: number): Float32Array {
  if (kind === 'torch') {
    const a = 1 / Math.sqrt(fanIn);
    return rng.uniformArray(fanOut, -a, a);
  }
  return new Float32Array(fanOut);
}
