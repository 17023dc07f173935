/**
 * The recommender ops' kernels on the native backend (native/src/recsys.c): DfaLnnExp(Grad),
 * DfaBatchNorm(Grad) and DfaCross(GradX, GradW). The ops, names and gradients:
 * src/engine/ops/{lnn_activation,batch_norm,cross_layer}_kernel.ts; tfjs's backends: src/engine/cpu/.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { DFA_LNN_EXP, DFA_LNN_EXP_GRAD } from '../../ops/lnn_activation_kernel';
import { DFA_BATCH_NORM, DFA_BATCH_NORM_GRAD } from '../../ops/batch_norm_kernel';
import { DFA_CROSS, DFA_CROSS_GRAD_W, DFA_CROSS_GRAD_X } from '../../ops/cross_layer_kernel';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { output, sizeOf, values } from './util';

type LnnExp = (z: Float32Array, out: Float32Array, B: number, D: number, L: number) => void;
type LnnExpGrad = (dy: Float32Array, y: Float32Array, dz: Float32Array, B: number, D: number, L: number) => void;
type BatchNorm = (x: Float32Array, g: Float32Array, b: Float32Array, y: Float32Array, mean: Float32Array, variance: Float32Array, N: number, C: number, eps: number) => void;
type CrossFwd = (x0: Float32Array, x: Float32Array, w: Float32Array, b: Float32Array, y: Float32Array, xw: Float32Array, B: number, D: number) => void;
type CrossGrad = (dy: Float32Array, x0: Float32Array, other: Float32Array, out: Float32Array, B: number, D: number) => void;
type BatchNormGrad = (dy: Float32Array, x: Float32Array, g: Float32Array, mean: Float32Array, variance: Float32Array, dx: Float32Array, dg: Float32Array, db: Float32Array, N: number, C: number, eps: number) => void;

export function recsysKernels(addon: NativeAddon): KernelConfig[] {
  return [
    {
      // z [B·D, L] (rows (b, d)) -> y [B, L·D] = relu(expm1(z)) in (neuron, dim) order
      kernelName: DFA_LNN_EXP,
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
      kernelName: DFA_LNN_EXP_GRAD,
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
    {
      // x [N, C], gamma [C], beta [C] -> y [N, C], mean [C], variance [C] (biased)
      kernelName: DFA_BATCH_NORM,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { x, gamma, beta } = args.inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
        const { eps } = args.attrs as unknown as { eps: number };
        const [N, C] = x.shape as [number, number];
        if (x.shape.length !== 2 || sizeOf(gamma.shape) !== C || sizeOf(beta.shape) !== C) throw new Error(`DfaBatchNorm: x [${x.shape}] with gamma/beta of ${sizeOf(gamma.shape)}/${sizeOf(beta.shape)} values`);
        const v = (t: TensorInfo) => values(backend, t, 'DfaBatchNorm');
        const y = backend.alloc(N * C), mean = backend.alloc(C), variance = backend.alloc(C);
        (addon.batchNorm as BatchNorm)(v(x), v(gamma), v(beta), y, mean, variance, N, C, eps);
        return [output(backend, [N, C], y), output(backend, [C], mean), output(backend, [C], variance)];
      },
    },
    {
      // -> dx [N, C], dgamma [C], dbeta [C]
      kernelName: DFA_BATCH_NORM_GRAD,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { dy, x, gamma, mean, variance } = args.inputs as Record<string, TensorInfo>;
        const { eps } = args.attrs as unknown as { eps: number };
        const [N, C] = x!.shape as [number, number];
        const v = (t: TensorInfo) => values(backend, t, 'DfaBatchNormGrad');
        const dx = backend.alloc(N * C), dg = backend.alloc(C), db = backend.alloc(C);
        (addon.batchNormGrad as BatchNormGrad)(v(dy!), v(x!), v(gamma!), v(mean!), v(variance!), dx, dg, db, N, C, eps);
        return [output(backend, [N, C], dx), output(backend, [C], dg), output(backend, [C], db)];
      },
    },
    {
      // x0, x [B, D], w [D, 1], b [D] -> y = x0 ∘ (x·w) + b + x [B, D], xw [B, 1]
      kernelName: DFA_CROSS,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { x0, x, w, b } = args.inputs as Record<string, TensorInfo>;
        const [B, D] = x!.shape as [number, number];
        if (x!.shape.length !== 2 || sizeOf(x0!.shape) !== B * D || sizeOf(w!.shape) !== D || sizeOf(b!.shape) !== D) throw new Error(`DfaCross: x0 [${x0!.shape}], x [${x!.shape}], w [${w!.shape}], b [${b!.shape}] do not fit`);
        const v = (t: TensorInfo) => values(backend, t, 'DfaCross');
        const y = backend.alloc(B * D), xw = backend.alloc(B);
        (addon.crossFwd as CrossFwd)(v(x0!), v(x!), v(w!), v(b!), y, xw, B, D);
        return [output(backend, [B, D], y), output(backend, [B, 1], xw)];
      },
    },
    // dy, x0 [B, D], w [D, 1] -> dx = dy + (Σ_j dy∘x0) ⊗ w [B, D]
    crossGradKernel(DFA_CROSS_GRAD_X, 'w', (B, D) => [B, D], addon.crossGradX as CrossGrad),
    // dy, x0, x [B, D] -> dw = xᵀ·(Σ_j dy∘x0) [D, 1]
    crossGradKernel(DFA_CROSS_GRAD_W, 'x', (_B, D) => [D, 1], addon.crossGradW as CrossGrad),
  ];
}

/** A cross-layer gradient kernel: dy and x0 [B, D] and one more input into an output of `shape(B, D)`. */
function crossGradKernel(kernelName: string, other: 'w' | 'x', shape: (B: number, D: number) => number[], f: CrossGrad): KernelConfig {
  return {
    kernelName,
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const inputs = args.inputs as Record<string, TensorInfo>;
      const [B, D] = inputs.dy!.shape as [number, number];
      const outShape = shape(B, D);
      const out = backend.alloc(sizeOf(outShape));
      f(values(backend, inputs.dy!, kernelName), values(backend, inputs.x0!, kernelName), values(backend, inputs[other]!, kernelName), out, B, D);
      return output(backend, outShape, out);
    },
  };
}
