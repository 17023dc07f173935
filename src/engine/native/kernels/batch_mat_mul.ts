/** BatchMatMul and _FusedMatMul on OpenBLAS sgemm: every transpose, batch and broadcast case. */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo, NamedAttrMap } from '@tensorflow/tfjs';
import { broadcast_util } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';
import { applyActivation } from './activation';
import { BINARY_CODES, broadcastPlan } from './elementwise';

interface MatMulPlan {
  outShape: number[];
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
}

function plan(a: TensorInfo, b: TensorInfo, ta: boolean, tb: boolean): MatMulPlan {
  const ar = a.shape.length, br = b.shape.length;
  const kA = ta ? a.shape[ar - 2]! : a.shape[ar - 1]!;
  const kB = tb ? b.shape[br - 1]! : b.shape[br - 2]!;
  const m = ta ? a.shape[ar - 1]! : a.shape[ar - 2]!;
  const n = tb ? b.shape[br - 2]! : b.shape[br - 1]!;
  if (kA !== kB) {
    throw new Error(`Error in matMul: inner shapes (${kA}) and (${kB}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${ta} and transposeB=${tb} must match.`);
  }
  const outerA = a.shape.slice(0, -2), outerB = b.shape.slice(0, -2);
  const outer = broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  return { outShape: [...outer, m, n], batchA: sizeOf(outerA), batchB: sizeOf(outerB), m, n, k: kA };
}

export function nativeMatMul(addon: NativeAddon, backend: NativeBackend, a: TensorInfo, b: TensorInfo, ta: boolean, tb: boolean, bias?: TensorInfo): TensorInfo | null {
  const av = f32(backend, a), bv = f32(backend, b);
  if (!av || !bv) return null;
  const p = plan(a, b, ta, tb);
  // tfjs's cpu kernel broadcasts batches by modulo over the flattened batch; the same is done
  // natively. Other broadcasts (e.g. [2,1] x [1,3]) are handled by the cpu kernel.
  const batch = Math.max(p.batchA, p.batchB);
  if (sizeOf(p.outShape) !== batch * p.m * p.n) return null;
  let biasV: Float32Array | null = null;
  if (bias) {
    biasV = f32(backend, bias);
    const bl = sizeOf(bias.shape);
    if (!biasV || !(bl === p.n || bl === 1) || bias.shape.length > 1 && bias.shape.slice(0, -1).some((d) => d !== 1)) return null;
  }
  const out = backend.alloc(sizeOf(p.outShape));
  addon.sgemm(av, bv, out, p.batchA, p.batchB, p.m, p.n, p.k, ta, tb, null);
  // The bias is added after the product, in place: fl(x·w) + b, as tf.add(tf.matMul(x, w), b) and
  // tfjs's cpu kernels compute it (a bias preloaded into the GEMM rounds differently once OpenBLAS
  // splits the inner dimension into blocks).
  if (biasV) {
    const bp = broadcastPlan(p.outShape, bias!.shape);
    (addon.binary as (code: number, a: Float32Array, b: Float32Array, out: Float32Array, shape: Int32Array, sa: Int32Array, sb: Int32Array) => void)(BINARY_CODES.Add!, out, biasV, out, bp.shape, bp.sa, bp.sb);
  }
  return output(backend, p.outShape, out);
}

export function batchMatMulConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName: 'native',
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
      return nativeMatMul(addon, args.backend as NativeBackend, a, b, transposeA, transposeB) ?? fallback(args);
    },
  };
}

export function fusedMatMulConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: tf._FusedMatMul,
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
      const attrs = args.attrs as NamedAttrMap & { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
      const mm = nativeMatMul(addon, backend, a!, b!, attrs.transposeA, attrs.transposeB, bias);
      if (!mm) return fallback(args);
      if (!attrs.activation || attrs.activation === 'linear') return mm;
      const act = applyActivation(addon, backend, mm, attrs.activation, preluActivationWeights, attrs.leakyreluAlpha);
      if (!act) {
        backend.disposeIntermediateTensorInfo(mm);
        return fallback(args);
      }
      backend.disposeIntermediateTensorInfo(mm);
      return act;
    },
  };
}
