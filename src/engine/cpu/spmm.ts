/** DfaSpmm in JS loops (cpu, and the native backend's too). */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { SPMM, type SpmmAttrs } from '../ops/spmm_kernel';
import { csrTimesDense, csrTransposeTimesDense } from './csr';
import { f32, output } from './util';

export const spmmCpuKernel: KernelConfig = {
  kernelName: SPMM,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { W } = inputs as { W: TensorInfo };
    const { csr: x, values, transpose } = attrs as unknown as SpmmAttrs;
    const b = backend as MathBackendCPU;
    const H = W.shape[1]!;
    if (transpose) return output(b, [x.numCols, H], csrTransposeTimesDense(x.indptr, x.indices, values, x.numRows, x.numCols, f32(b, W), H));
    return output(b, [x.numRows, H], csrTimesDense(x.indptr, x.indices, values, x.numRows, f32(b, W), H));
  },
};
