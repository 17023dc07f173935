/**
 * DfaLinearRelu, DfaLinear2Relu and DfaLinearReluGrad on tfjs's backends: the ops a layer ran
 * before the kernels existed, in the same order (forward: matMul, add bias, [matMul of the second
 * input, add], relu; backward: tfjs's relu gradient, then the bias gradient's sum over rows).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { reluGradFormula } from '../ops/activation_grads';
import { DFA_LINEAR2_RELU, DFA_LINEAR_RELU, DFA_LINEAR_RELU_GRAD } from '../ops/linear_relu_kernel';
import { tfOpsKernel } from './kernel';

const affine = (x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), bias);

export const linearReluCpuKernels: KernelConfig[] = [
  tfOpsKernel(DFA_LINEAR_RELU, ({ x, w, bias }) => tf.relu(affine(x!, w!, bias!))),
  tfOpsKernel(DFA_LINEAR2_RELU, ({ x, w, bias, x2, w2 }) => tf.relu(tf.add(affine(x!, w!, bias!), tf.matMul(x2 as tf.Tensor2D, w2 as tf.Tensor2D)))),
  tfOpsKernel(DFA_LINEAR_RELU_GRAD, ({ dy, y }) => {
    const da = reluGradFormula(dy!, y!);
    return [da, tf.sum(da, 0)];
  }),
];
