/** DfaTanhGrad, DfaSigmoidGrad, DfaReluGrad on tfjs's backends: tfjs's own gradient formulas. */
import type { KernelConfig } from '@tensorflow/tfjs';
import { DFA_RELU_GRAD, DFA_SIGMOID_GRAD, DFA_TANH_GRAD, reluGradFormula, sigmoidGradFormula, tanhGradFormula } from '../ops/activation_grads';
import { tfOpsKernel } from './kernel';

export const activationGradCpuKernels: KernelConfig[] = [
  tfOpsKernel(DFA_TANH_GRAD, ({ dy, y }) => tanhGradFormula(dy!, y!)),
  tfOpsKernel(DFA_SIGMOID_GRAD, ({ dy, y }) => sigmoidGradFormula(dy!, y!)),
  tfOpsKernel(DFA_RELU_GRAD, ({ dy, y }) => reluGradFormula(dy!, y!)),
];
