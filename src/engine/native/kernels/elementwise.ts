/** Elementwise kernels: unary ops, binary ops with broadcasting, AddN. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { broadcast_util } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';

// Op codes: keep in sync with native/src/elementwise.c.
export const UNARY_CODES: Record<string, number> = {
  Tanh: 0, Relu: 1, Relu6: 2, Elu: 3, Sigmoid: 4, Exp: 5, Log: 6, Sqrt: 7, Rsqrt: 8, Square: 9, Neg: 10,
  Abs: 11, LeakyRelu: 12, Softplus: 13, Sin: 14, Cos: 15, Log1p: 16, Expm1: 17, Step: 18, Reciprocal: 19,
  Sign: 20, Erf: 21, Floor: 22, Ceil: 23, Selu: 24,
};
export const BINARY_CODES: Record<string, number> = {
  Add: 0, Sub: 1, Multiply: 2, RealDiv: 3, Maximum: 4, Minimum: 5, SquaredDifference: 6, Pow: 7, Atan2: 8,
};
/** Fused gradient helpers (binary codes 9..11), used by ops/activation_grads.ts. */
export const GRAD_CODES = { tanh: 9, sigmoid: 10, relu: 11 } as const;

type Unary = (op: number, x: Float32Array, out: Float32Array, alpha: number) => void;
type Binary = (op: number, a: Float32Array, b: Float32Array, out: Float32Array, shape: Int32Array, sa: Int32Array, sb: Int32Array) => void;

export function unaryConfig(addon: NativeAddon, name: string, fallback: KernelFunc): KernelConfig {
  const code = UNARY_CODES[name]!;
  const unary = addon.unary as Unary;
  return {
    kernelName: name,
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const x = (args.inputs as { x: TensorInfo }).x;
      const xv = x.dtype === 'float32' ? f32(backend, x) : null;
      if (!xv) return fallback(args);
      const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
      const out = backend.alloc(xv.length);
      unary(code, xv, out, alpha);
      return output(backend, x.shape, out);
    },
  };
}

/** Shape and strides of a broadcast binary op, with mergeable adjacent dims collapsed. */
export function broadcastPlan(aShape: number[], bShape: number[]): { outShape: number[]; shape: Int32Array; sa: Int32Array; sb: Int32Array } {
  const outShape = broadcast_util.assertAndGetBroadcastShape(aShape, bShape);
  const r = Math.max(outShape.length, 1);
  const pad = (s: number[]) => [...new Array(r - s.length).fill(1), ...s];
  const out = outShape.length ? outShape : [1];
  const strides = (s: number[]) => {
    const p = pad(s);
    const st = new Array<number>(r);
    let acc = 1;
    for (let d = r - 1; d >= 0; d--) {
      st[d] = p[d] === 1 && out[d] !== 1 ? 0 : acc;
      acc *= p[d]!;
    }
    return st;
  };
  const sa = strides(aShape), sb = strides(bShape);
  const shape: number[] = [], ra: number[] = [], rb: number[] = [];
  for (let d = 0; d < r; d++) {
    if (out[d] === 1) continue; // size-1 dims carry nothing
    const k = shape.length - 1;
    const mergeable = (st: number[], rs: number[]) => rs[k]! === st[d]! * out[d]! || (rs[k] === 0 && st[d] === 0);
    if (k >= 0 && mergeable(sa, ra) && mergeable(sb, rb)) {
      shape[k] = shape[k]! * out[d]!;
      ra[k] = sa[d]!;
      rb[k] = sb[d]!;
    } else {
      shape.push(out[d]!);
      ra.push(sa[d]!);
      rb.push(sb[d]!);
    }
  }
  if (shape.length === 0) {
    shape.push(1);
    ra.push(0);
    rb.push(0);
  }
  return { outShape, shape: Int32Array.from(shape), sa: Int32Array.from(ra), sb: Int32Array.from(rb) };
}

export function nativeBinary(addon: NativeAddon, backend: NativeBackend, code: number, a: TensorInfo, b: TensorInfo): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const av = f32(backend, a), bv = f32(backend, b);
  if (!av || !bv) return null;
  const p = broadcastPlan(a.shape, b.shape);
  if (p.shape.length > 8) return null;
  const out = backend.alloc(sizeOf(p.outShape));
  (addon.binary as Binary)(code, av, bv, out, p.shape, p.sa, p.sb);
  return output(backend, p.outShape, out);
}

export function binaryConfig(addon: NativeAddon, name: string, fallback: KernelFunc): KernelConfig {
  const code = BINARY_CODES[name]!;
  return {
    kernelName: name,
    backendName: 'native',
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      return nativeBinary(addon, args.backend as NativeBackend, code, a, b) ?? fallback(args);
    },
  };
}

export function addNConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  const acc = addon.accumulate as (out: Float32Array, x: Float32Array) => void;
  return {
    kernelName: 'AddN',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const ts = args.inputs as unknown as TensorInfo[];
      const vals = ts.map((t) => (t.dtype === 'float32' ? f32(backend, t) : null));
      if (vals.some((v) => !v) || ts.some((t) => sizeOf(t.shape) !== sizeOf(ts[0]!.shape))) return fallback(args);
      const out = backend.alloc(vals[0]!.length);
      out.set(vals[0]!);
      for (let i = 1; i < vals.length; i++) acc(out, vals[i]!);
      return output(backend, ts[0]!.shape, out);
    },
  };
}
