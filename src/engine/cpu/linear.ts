/** DfaLinear on tfjs's cpu backend: its BatchMatMul kernel, then its Add (exactly what tf.add(tf.matMul(x, w), b) runs). */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { DFA_LINEAR } from '../ops/linear_kernel';

export const linearCpuKernel: KernelConfig = {
  kernelName: DFA_LINEAR,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend }) => {
    const { x, w, bias } = inputs as { x: TensorInfo; w: TensorInfo; bias: TensorInfo };
    const mm = tf.getKernel('BatchMatMul', 'cpu')!.kernelFunc({ inputs: { a: x, b: w }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    const out = tf.getKernel('Add', 'cpu')!.kernelFunc({ inputs: { a: mm, b: bias }, backend, attrs: {} }) as TensorInfo;
    (backend as MathBackendCPU).disposeIntermediateTensorInfo(mm);
    return out;
  },
};
