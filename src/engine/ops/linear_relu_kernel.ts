/**
 * The DfaLinearRelu kernel, relu(x·w + bias), and DfaLinear2Relu, relu((x·w + bias) + x2·w2) (a
 * layer that sees a concatenation [x, x2] through two weights: NeRF's skip and view layers). One
 * name each, a kernel per backend (native: one pass after the GEMMs, src/engine/native/kernels/nerf.ts;
 * tfjs's backends: the ops the layer ran before, src/engine/cpu/linear_relu.ts), and the gradient
 * registered by name: the DfaLinearReluGrad kernel gives da = dy where y > 0 (the saved output;
 * y > 0 exactly when the pre-activation is) and the bias gradient Σ_rows da in one pass, then each
 * input's product is formed only when asked for (a layer fed by data or a DFA-detached feedback
 * point never forms da·wᵀ). The pre-activation is never kept.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const DFA_LINEAR_RELU = 'DfaLinearRelu';
export const DFA_LINEAR2_RELU = 'DfaLinear2Relu';
/** dy, y [N, M] -> da [N, M] (dy where y > 0), db [M] (Σ_rows da) */
export const DFA_LINEAR_RELU_GRAD = 'DfaLinearReluGrad';

function linearReluGradOf(kernelName: string, pair: boolean): GradConfig {
  return {
    kernelName,
    inputsToSave: pair ? ['x', 'w', 'x2', 'w2'] : ['x', 'w'],
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [x, w] = saved as tf.Tensor2D[];
      const y = saved[saved.length - 1]!;
      // Computed once for every input's product; like every gradient of the pass it lives until the pass ends.
      const [da, db] = tf.engine().runKernel(DFA_LINEAR_RELU_GRAD, { dy: dy as tf.Tensor, y }) as [tf.Tensor2D, tf.Tensor1D];
      const grads: Record<string, () => tf.Tensor> = {
        x: () => tf.matMul(da, w!, false, true),
        w: () => tf.matMul(x!, da, true, false),
        bias: () => db,
      };
      if (pair) {
        const [x2, w2] = saved.slice(2, 4) as tf.Tensor2D[];
        grads.x2 = () => tf.matMul(da, w2!, false, true);
        grads.w2 = () => tf.matMul(x2!, da, true, false);
      }
      return grads;
    },
  };
}

export const linearReluGrads: GradConfig[] = [linearReluGradOf(DFA_LINEAR_RELU, false), linearReluGradOf(DFA_LINEAR2_RELU, true)];
