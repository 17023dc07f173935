/**
 * The NeRF wing's kernels on the native backend (native/src/nerf.c): DfaLinearRelu and
 * DfaLinear2Relu (the GEMMs, then bias, second product and relu in one pass; the second
 * product's scratch comes from the pool and goes straight back), DfaLinearReluGrad (their
 * gradient's relu mask and bias sum in one pass), DfaPositionalEncoding. The ops,
 * names and gradients: src/engine/ops/{linear_relu,positional_encoding}_kernel.ts.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { DFA_LINEAR2_RELU, DFA_LINEAR_RELU, DFA_LINEAR_RELU_GRAD } from '../../ops/linear_relu_kernel';
import { DFA_POSITIONAL_ENCODING, encodedWidth, type PositionalEncodingAttrs } from '../../ops/positional_encoding_kernel';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { output, sizeOf, values } from './util';

type LinearRelu = (x: Float32Array, w: Float32Array, bias: Float32Array, out: Float32Array, N: number, K: number, M: number, x2?: Float32Array, w2?: Float32Array, scratch?: Float32Array, K2?: number) => void;
type LinearReluGrad = (dy: Float32Array, y: Float32Array, da: Float32Array, db: Float32Array, N: number, M: number) => void;
type PosEncode = (x: Float32Array, out: Float32Array, n: number, d: number, L: number, includeInput: boolean, repeat: number) => void;

function linearReluKernel(addon: NativeAddon, name: string, pair: boolean): KernelConfig {
  return {
    kernelName: name,
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { x, w, bias, x2, w2 } = args.inputs as Record<string, TensorInfo>;
      const [N, K] = x!.shape as [number, number];
      const M = w!.shape[1]!;
      const bad = x!.shape.length !== 2 || w!.shape.length !== 2 || w!.shape[0] !== K || sizeOf(bias!.shape) !== M ||
        (pair && (x2!.shape.length !== 2 || x2!.shape[0] !== N || w2!.shape[0] !== x2!.shape[1] || w2!.shape[1] !== M));
      if (bad) throw new Error(`${name}: [N, K]·[K, M] + [M]${pair ? ' + [N, K2]·[K2, M]' : ''} expected, got [${x!.shape}]·[${w!.shape}] + [${bias!.shape}]${pair ? ` + [${x2!.shape}]·[${w2!.shape}]` : ''}`);
      const v = (t: TensorInfo) => values(backend, t, name);
      const out = backend.alloc(N * M);
      if (!pair) {
        (addon.linearRelu as LinearRelu)(v(x!), v(w!), v(bias!), out, N, K, M);
      } else {
        const scratch = backend.alloc(N * M);
        try {
          (addon.linearRelu as LinearRelu)(v(x!), v(w!), v(bias!), out, N, K, M, v(x2!), v(w2!), scratch, x2!.shape[1]!);
        } finally {
          backend.release(scratch);
        }
      }
      return output(backend, [N, M], out);
    },
  };
}

export function nerfKernels(addon: NativeAddon): KernelConfig[] {
  return [
    linearReluKernel(addon, DFA_LINEAR_RELU, false),
    linearReluKernel(addon, DFA_LINEAR2_RELU, true),
    {
      kernelName: DFA_LINEAR_RELU_GRAD,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
        const M = y.shape[y.shape.length - 1] ?? 1;
        const N = M ? sizeOf(y.shape) / M : 0;
        if (sizeOf(dy.shape) !== sizeOf(y.shape) || y.shape.length !== 2) throw new Error(`${DFA_LINEAR_RELU_GRAD}: dy [${dy.shape}] and y [${y.shape}] must be one [N, M] shape`);
        const da = backend.alloc(N * M), db = backend.alloc(M);
        (addon.linearReluGrad as LinearReluGrad)(values(backend, dy, DFA_LINEAR_RELU_GRAD), values(backend, y, DFA_LINEAR_RELU_GRAD), da, db, N, M);
        return [output(backend, [N, M], da), output(backend, [M], db)];
      },
    },
    {
      kernelName: DFA_POSITIONAL_ENCODING,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { x } = args.inputs as { x: TensorInfo };
        const { numFreqs, includeInput, repeat } = args.attrs as unknown as PositionalEncodingAttrs;
        const [n, d] = x.shape as [number, number];
        const width = encodedWidth(d, numFreqs, includeInput);
        const out = backend.alloc(n * repeat * width);
        (addon.posEncode as PosEncode)(values(backend, x, DFA_POSITIONAL_ENCODING), out, n, d, numFreqs, includeInput, repeat);
        return output(backend, [n * repeat, width], out);
      },
    },
  ];
}
