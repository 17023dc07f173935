/**
 * Fused recommender kernels (native/src/recsys.c), called by src/engine/ops/lnn_activation.ts
 * on the native backend; every other backend runs that op's tfjs composite.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';

type LnnExp = (z: Float32Array, out: Float32Array, B: number, D: number, L: number) => void;
type LnnExpGrad = (dy: Float32Array, y: Float32Array, dz: Float32Array, B: number, D: number, L: number) => void;

function values(backend: NativeBackend, t: TensorInfo, kernel: string): Float32Array {
  const v = t.dtype === 'float32' ? f32(backend, t) : null;
  if (!v) throw new Error(`${kernel}: float32 inputs expected`);
  return v;
}

export function recsysKernels(addon: NativeAddon): KernelConfig[] {
  return [
    {
      // z [B·D, L] (rows (b, d)) -> y [B, L·D] = relu(expm1(z)) in (neuron, dim) order
      kernelName: 'DfaLnnExp',
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { z } = args.inputs as { z: TensorInfo };
        const { dim } = args.attrs as unknown as { dim: number };
        const [rows, L] = z.shape as [number, number];
        if (z.shape.length !== 2 || rows % dim !== 0) throw new Error(`DfaLnnExp: z [${z.shape}] must be [batch·${dim}, neurons]`);
        const y = backend.alloc(sizeOf(z.shape));
        (addon.lnnExp as LnnExp)(values(backend, z, 'DfaLnnExp'), y, rows / dim, dim, L);
        return output(backend, [rows / dim, L * dim], y);
      },
    },
    {
      // dy, y [B, L·D] -> dz [B·D, L]
      kernelName: 'DfaLnnExpGrad',
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
        const { dim } = args.attrs as unknown as { dim: number };
        const [B, width] = y.shape as [number, number];
        if (sizeOf(dy.shape) !== sizeOf(y.shape) || width % dim !== 0) throw new Error(`DfaLnnExpGrad: dy [${dy.shape}] / y [${y.shape}] do not fit dim ${dim}`);
        const dz = backend.alloc(B * width);
        (addon.lnnExpGrad as LnnExpGrad)(values(backend, dy, 'DfaLnnExpGrad'), values(backend, y, 'DfaLnnExpGrad'), dz, B, dim, width / dim);
        return output(backend, [B * dim, width / dim], dz);
      },
    },
  ];
}
