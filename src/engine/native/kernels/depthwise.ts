/**
 * DepthwiseConv2dNative and its two gradients on native/src/depthwise.c (direct loops over NHWC
 * float32 tensors). The gradients run natively for dilation 1 (tfjs's gradient allows no other);
 * strides and dilations both above 1 go to the cpu kernel, which raises tfjs's error.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';
import { allOne, depthwiseGeom, fitsOutput } from './conv_info';

type Depthwise = (a: Float32Array, b: Float32Array, out: Float32Array, geom: Int32Array) => void;

interface DepthwiseAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function depthwiseConv2dConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'DepthwiseConv2dNative',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
      const a = args.attrs as unknown as DepthwiseAttrs;
      const xv = f32(backend, x), wv = f32(backend, filter);
      const dil = a.dilations ?? 1;
      if (!xv || !wv || !(allOne(a.strides as number[]) || allOne(dil as number[]))) return fallback(args);
      const g = depthwiseGeom(x.shape, filter.shape, a.strides, dil, a.pad, a.dimRoundingMode);
      if (!g) return fallback(args);
      const y = backend.alloc(sizeOf(g.info.outShape));
      (addon.depthwiseConv2d as Depthwise)(xv, wv, y, g.geom);
      return output(backend, g.info.outShape, y);
    },
  };
}

export function depthwiseBackpropInputConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'DepthwiseConv2dNativeBackpropInput',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
      const a = args.attrs as unknown as DepthwiseAttrs & { inputShape: number[] };
      const dyv = f32(backend, dy), wv = f32(backend, filter);
      if (!dyv || !wv || !allOne(a.dilations as number[])) return fallback(args);
      const g = depthwiseGeom(a.inputShape, filter.shape, a.strides, 1, a.pad, a.dimRoundingMode);
      if (!g || !fitsOutput(g, dy)) return fallback(args);
      const dx = backend.alloc(sizeOf(g.info.inShape));
      (addon.depthwiseBackpropInput as Depthwise)(dyv, wv, dx, g.geom);
      return output(backend, g.info.inShape, dx);
    },
  };
}

export function depthwiseBackpropFilterConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'DepthwiseConv2dNativeBackpropFilter',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
      const a = args.attrs as unknown as DepthwiseAttrs & { filterShape: number[] };
      const xv = f32(backend, x), dyv = f32(backend, dy);
      if (!xv || !dyv || !allOne(a.dilations as number[])) return fallback(args);
      const g = depthwiseGeom(x.shape, a.filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
      if (!g || !fitsOutput(g, dy)) return fallback(args);
      const dw = backend.alloc(sizeOf(g.info.filterShape));
      (addon.depthwiseBackpropFilter as Depthwise)(xv, dyv, dw, g.geom);
      return output(backend, g.info.filterShape, dw);
    },
  };
}
