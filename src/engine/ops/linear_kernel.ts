/**
 * The DfaLinear kernel: x [N, in] · w [in, out] + bias [out]. One name, a kernel per backend
 * (native: the bias inside the GEMM, src/engine/native/kernels/transformer.ts; cpu:
 * src/engine/cpu/linear.ts), and its gradient registered by that name: lazy per input, so a layer
 * fed by data or by a DFA-detached feedback point never forms dy·wᵀ (tf.fused.matMul's customGrad
 * would compute it for every input).
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const DFA_LINEAR = 'DfaLinear';

export const linearGrad: GradConfig = {
  kernelName: DFA_LINEAR,
  inputsToSave: ['x', 'w'],
  gradFunc: (dy, saved) => {
    const [x, w] = saved as tf.Tensor2D[];
    const g = dy as tf.Tensor2D;
    return { x: () => tf.matMul(g, w!, false, true), w: () => tf.matMul(x!, g, true, false), bias: () => tf.sum(g, 0) };
  },
};
