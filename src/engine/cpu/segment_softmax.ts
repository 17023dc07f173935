/** DfaSegmentSoftmax and its gradient in JS loops (the cpu backend's). */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { SEGMENT_SOFTMAX, SEGMENT_SOFTMAX_GRAD, type SegmentAttrs } from '../ops/segment_softmax_kernel';
import { f32, output } from './util';

export const segmentSoftmaxCpuKernel: KernelConfig = {
  kernelName: SEGMENT_SOFTMAX,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { s } = inputs as { s: TensorInfo };
    const { dst, n } = attrs as unknown as SegmentAttrs;
    const b = backend as MathBackendCPU;
    const sv = f32(b, s);
    const E = dst.length, H = E ? sv.length / E : 1;
    const mx = new Float32Array(n * H).fill(-Infinity);
    for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) {
      const i = dst[e]! * H + h;
      if (sv[e * H + h]! > mx[i]!) mx[i] = sv[e * H + h]!;
    }
    const alpha = new Float32Array(E * H);
    const sum = new Float32Array(n * H);
    for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) {
      const v = Math.exp(sv[e * H + h]! - mx[dst[e]! * H + h]!);
      alpha[e * H + h] = v;
      sum[dst[e]! * H + h]! += v;
    }
    for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) alpha[e * H + h]! /= sum[dst[e]! * H + h]!;
    return output(b, s.shape, alpha);
  },
};

export const segmentSoftmaxGradCpuKernel: KernelConfig = {
  kernelName: SEGMENT_SOFTMAX_GRAD,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { alpha, dy } = inputs as { alpha: TensorInfo; dy: TensorInfo };
    const { dst, n } = attrs as unknown as SegmentAttrs;
    const b = backend as MathBackendCPU;
    const av = f32(b, alpha), dv = f32(b, dy);
    const E = dst.length, H = E ? av.length / E : 1;
    const dot = new Float32Array(n * H);
    for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) dot[dst[e]! * H + h]! += av[e * H + h]! * dv[e * H + h]!;
    const ds = new Float32Array(E * H);
    for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) ds[e * H + h] = av[e * H + h]! * (dv[e * H + h]! - dot[dst[e]! * H + h]!);
    return output(b, alpha.shape, ds);
  },
};
