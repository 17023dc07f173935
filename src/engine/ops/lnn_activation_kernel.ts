/**
 * The DfaLnnExp kernel (AFN's logarithmic-layer activation and layout change): z [B·D, L] -> y
 * [B, L·D] = relu(expm1(z)) with columns (neuron l, dim d). Its gradient (registered by name) is
 * the DfaLnnExpGrad kernel from the saved output: dz = dy · exp(z) where y > 0, else 0, with
 * exp(z) = y + 1, so z is not kept. Native: src/engine/native/kernels/recsys.ts; tfjs's backends:
 * src/engine/cpu/lnn_activation.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const DFA_LNN_EXP = 'DfaLnnExp';
export const DFA_LNN_EXP_GRAD = 'DfaLnnExpGrad';

export const lnnActivationGrad: GradConfig = {
  kernelName: DFA_LNN_EXP,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => ({ z: () => tf.engine().runKernel(DFA_LNN_EXP_GRAD, { dy: dy as tf.Tensor, y: saved[0]! }, attrs) as tf.Tensor }),
};
