/** Named elementwise nonlinearities, so models and the CLI can take them as strings. */
import * as tf from '@tensorflow/tfjs';

export type ActivationName = 'tanh' | 'relu' | 'sigmoid' | 'elu' | 'gelu' | 'linear';
export const ACTIVATIONS: readonly ActivationName[] = ['tanh', 'relu', 'sigmoid', 'elu', 'gelu', 'linear'];

export function activation(name: string): (x: tf.Tensor) => tf.Tensor {
  switch (name) {
    case 'tanh':
      return (x) => tf.tanh(x);
    case 'relu':
      return (x) => tf.relu(x);
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'elu':
      return (x) => tf.elu(x);
    case 'gelu': // tanh approximation (as in GPT-2 / BERT)
      return (x) =>
        tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))));
    case 'linear':
      return (x) => x;
    default:
      throw new Error(`unknown activation '${name}'; expected one of ${ACTIVATIONS.join(', ')}`);
  }
}
