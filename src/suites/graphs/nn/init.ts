/** Parameter initialisers as PyG / PyTorch define them, drawn from our seeded Rng. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';

/** Glorot (Xavier) uniform over the last two dims: U(±sqrt(6 / (fanIn + fanOut))). */
export function glorot(rng: Rng, shape: number[], name?: string): tf.Variable {
  const fanIn = shape[shape.length - 2] ?? 1, fanOut = shape[shape.length - 1]!;
  const a = Math.sqrt(6 / (fanIn + fanOut));
  const n = shape.reduce((p, d) => p * d, 1);
  const v = rng.uniformArray(n, -a, a);
  return tf.tidy(() => tf.variable(tf.tensor(v, shape), true, name)); // tidy: the initial tensor is not leaked
}

/** PyG's `uniform(size, t)`: U(±1/sqrt(size)). */
export function uniformFan(rng: Rng, shape: number[], size: number, name?: string): tf.Variable {
  const a = 1 / Math.sqrt(size);
  const n = shape.reduce((p, d) => p * d, 1);
  const v = rng.uniformArray(n, -a, a);
  return tf.tidy(() => tf.variable(tf.tensor(v, shape), true, name)); // tidy: the initial tensor is not leaked
}

export function zeros(shape: number[], name?: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.zeros(shape), true, name));
}
