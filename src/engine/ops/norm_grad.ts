/**
 * The gradient of a normalisation kernel (DfaLayerNorm, DfaBatchNorm): its grad kernel on dy (the
 * first output's), x, gamma, beta and the two statistics it output; dx, dgamma, dbeta at once.
 * The statistics carry no gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export function normGrad(kernelName: string, gradKernel: string, stats: [string, string]): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x', 'gamma', 'beta'],
    outputsToSave: [false, true, true],
    gradFunc: (dys, saved, attrs) => {
      const [x, gamma, beta, s0, s1] = saved;
      const dy = (dys as tf.Tensor[])[0]!;
      const inputs = { dy, x: x!, gamma: gamma!, beta: beta!, [stats[0]]: s0!, [stats[1]]: s1! };
      const [dx, dgamma, dbeta] = tf.engine().runKernel(gradKernel, inputs, attrs) as tf.Tensor[];
      return { x: () => dx!, gamma: () => dgamma!, beta: () => dbeta! };
    },
  };
}
