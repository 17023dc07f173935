/** DfaGatherRows and DfaScatterAdd in JS loops (the cpu backend's; O(E·F)). */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { GATHER_ROWS, SCATTER_ADD, type RowIndexAttrs } from '../ops/gather_rows_kernel';
import { f32, output, sizeOf } from './util';

export const gatherRowsCpuKernel: KernelConfig = {
  kernelName: GATHER_ROWS,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { idx } = attrs as unknown as RowIndexAttrs;
    const b = backend as MathBackendCPU;
    const cols = sizeOf(x.shape.slice(1));
    const xv = f32(b, x);
    const out = new Float32Array(idx.length * cols);
    for (let i = 0; i < idx.length; i++) out.set(xv.subarray(idx[i]! * cols, idx[i]! * cols + cols), i * cols);
    return output(b, [idx.length, ...x.shape.slice(1)], out);
  },
};

export const scatterAddCpuKernel: KernelConfig = {
  kernelName: SCATTER_ADD,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { v } = inputs as { v: TensorInfo };
    const { idx, numRows: n } = attrs as unknown as RowIndexAttrs;
    const b = backend as MathBackendCPU;
    const m = v.shape[0]!, cols = sizeOf(v.shape.slice(1));
    const vv = f32(b, v);
    const out = new Float32Array(n * cols);
    for (let i = 0; i < m; i++) {
      const o = idx[i]! * cols, s = i * cols;
      for (let c = 0; c < cols; c++) out[o + c]! += vv[s + c]!;
    }
    return output(b, [n, ...v.shape.slice(1)], out);
  },
};
