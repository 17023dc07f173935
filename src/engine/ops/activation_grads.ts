/**
 * The gradients of tfjs's Tanh, Sigmoid and Relu, replaced once for every backend: each is a kernel
 * of its own (DfaTanhGrad, DfaSigmoidGrad, DfaReluGrad) taking dy and the saved y (tanh, sigmoid)
 * or x (relu). tfjs composes each from 2-3 ops (tanh: dy · (1 − y²) = Square, Sub, Multiply), each
 * allocating a tensor the size of the activation; natively the kernel is one pass
 * (src/engine/native/kernels/activation_grads.ts). On tfjs's backends the kernel is tfjs's own
 * formula (src/engine/cpu/activation_grads.ts), which also serves other dtypes.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const DFA_TANH_GRAD = 'DfaTanhGrad';
export const DFA_SIGMOID_GRAD = 'DfaSigmoidGrad';
export const DFA_RELU_GRAD = 'DfaReluGrad';

/** tfjs's gradient formulas (tfjs-core/src/gradients/{Tanh,Sigmoid,Relu}_grad.ts). */
export const tanhGradFormula = (dy: tf.Tensor, y: tf.Tensor) => tf.mul(tf.sub(tf.scalar(1), tf.square(y)), dy);
export const sigmoidGradFormula = (dy: tf.Tensor, y: tf.Tensor) => tf.mul(dy, tf.mul(y, tf.sub(tf.scalar(1), y)));
export const reluGradFormula = (dy: tf.Tensor, x: tf.Tensor) => tf.mul(dy, tf.cast(tf.step(x), 'float32'));

function grad(kernelName: string, gradKernel: string, saves: 'x' | 'y', formula: (dy: tf.Tensor, t: tf.Tensor) => tf.Tensor): GradConfig {
  return {
    kernelName,
    ...(saves === 'x' ? { inputsToSave: ['x'] } : { outputsToSave: [true] }),
    gradFunc: (dy, saved) => {
      const g = dy as tf.Tensor, t = saved[0]!;
      const kernel = g.dtype === 'float32' && t.dtype === 'float32' && g.size === t.size && g.rank === t.rank;
      return { x: () => (kernel ? (tf.engine().runKernel(gradKernel, { dy: g, y: t }) as tf.Tensor) : formula(g, t)) };
    },
  };
}

export const activationGrads: GradConfig[] = [
  grad('Tanh', DFA_TANH_GRAD, 'y', tanhGradFormula),
  grad('Sigmoid', DFA_SIGMOID_GRAD, 'y', sigmoidGradFormula),
  grad('Relu', DFA_RELU_GRAD, 'x', reluGradFormula),
];
