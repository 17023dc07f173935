/** A trainable variable of initial values drawn by the core initialisers (src/nn/init.ts). */
import * as tf from '@tensorflow/tfjs';

export function param(values: Float32Array, shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, shape))); // tidy: the initial tensor is not leaked
}
