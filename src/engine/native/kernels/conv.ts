/**
 * Conv2D, its two gradients and FusedConv2D (bias + activation) on native/src/conv.c (im2col +
 * OpenBLAS GEMM), for NHWC float32 tensors; NCHW and other dtypes go to the cpu kernel.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';
import { applyActivation } from './activation';
import { convGeom, fitsOutput } from './conv_info';

type Conv = (x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, geom: Int32Array) => void;
type ConvGrad = (a: Float32Array, b: Float32Array, out: Float32Array, geom: Int32Array) => void;

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** conv2d natively (with an optional per-channel bias), or null when the cpu kernel must run. */
function nativeConv(addon: NativeAddon, backend: NativeBackend, x: TensorInfo, filter: TensorInfo, attrs: ConvAttrs, bias?: TensorInfo): TensorInfo | null {
  const xv = f32(backend, x), wv = f32(backend, filter);
  if (!xv || !wv) return null;
  const g = convGeom(x.shape, filter.shape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, attrs.dataFormat);
  if (!g) return null;
  let bv: Float32Array | null = null;
  if (bias) {
    bv = f32(backend, bias);
    const n = sizeOf(bias.shape);
    const perChannel = n === g.info.outChannels && bias.shape.slice(0, -1).every((d) => d === 1);
    if (!bv || !(perChannel || n === 1)) return null;
  }
  const y = backend.alloc(sizeOf(g.info.outShape));
  (addon.conv2d as Conv)(xv, wv, bv, y, g.geom);
  return output(backend, g.info.outShape, y);
}

export function conv2DConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'Conv2D',
    backendName: 'native',
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
      return nativeConv(addon, args.backend as NativeBackend, x, filter, args.attrs as unknown as ConvAttrs) ?? fallback(args);
    },
  };
}

export function fusedConv2DConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'FusedConv2D',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
      const attrs = args.attrs as unknown as ConvAttrs & { activation?: string; leakyreluAlpha?: number };
      const act = attrs.activation ?? 'linear';
      if (act === 'prelu') return fallback(args);
      const y = nativeConv(addon, backend, x!, filter!, attrs, bias);
      if (!y) return fallback(args);
      if (act === 'linear') return y;
      const out = applyActivation(addon, backend, y, act, preluActivationWeights, attrs.leakyreluAlpha);
      backend.disposeIntermediateTensorInfo(y);
      return out ?? fallback(args);
    },
  };
}

export function conv2DBackpropInputConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
      const attrs = args.attrs as unknown as ConvAttrs & { inputShape: number[] };
      const dyv = f32(backend, dy), wv = f32(backend, filter);
      const g = dyv && wv ? convGeom(attrs.inputShape, filter.shape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, attrs.dataFormat) : null;
      if (!g || !fitsOutput(g, dy)) return fallback(args);
      const dx = backend.alloc(sizeOf(g.info.inShape));
      (addon.conv2dBackpropInput as ConvGrad)(dyv!, wv!, dx, g.geom);
      return output(backend, g.info.inShape, dx);
    },
  };
}

export function conv2DBackpropFilterConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
      const attrs = args.attrs as unknown as ConvAttrs & { filterShape: number[] };
      const xv = f32(backend, x), dyv = f32(backend, dy);
      const g = xv && dyv ? convGeom(x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, attrs.dataFormat) : null;
      if (!g || !fitsOutput(g, dy)) return fallback(args);
      const dw = backend.alloc(sizeOf(g.info.filterShape));
      (addon.conv2dBackpropFilter as ConvGrad)(xv!, dyv!, dw, g.geom);
      return output(backend, g.info.filterShape, dw);
    },
  };
}
