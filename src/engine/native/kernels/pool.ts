/** MaxPool, AvgPool and their gradients on native/src/pool.c (NHWC float32, tfjs cpu's semantics). */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';
import { fitsOutput, poolGeom } from './conv_info';

type Pool = (x: Float32Array, y: Float32Array, geom: Int32Array) => void;
type MaxPoolGrad = (dy: Float32Array, x: Float32Array, y: Float32Array | null, dx: Float32Array, geom: Int32Array) => void;

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function poolConfig(addon: NativeAddon, kind: 'MaxPool' | 'AvgPool', fallback: KernelFunc): KernelConfig {
  const fn = (kind === 'MaxPool' ? addon.maxPool : addon.avgPool) as Pool;
  return {
    kernelName: kind,
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { x } = args.inputs as { x: TensorInfo };
      const a = args.attrs as unknown as PoolAttrs;
      const xv = f32(backend, x);
      const g = xv ? poolGeom(x.shape, a.filterSize, a.strides, a.pad, a.dimRoundingMode) : null;
      // offsets within an image are int32 in pool.c
      if (!g || sizeOf(x.shape.slice(1)) >= 2 ** 31) return fallback(args);
      const y = backend.alloc(sizeOf(g.info.outShape));
      fn(xv!, y, g.geom);
      return output(backend, g.info.outShape, y);
    },
  };
}

export function maxPoolGradConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'MaxPoolGrad',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { dy, input, output: y } = args.inputs as { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
      const a = args.attrs as unknown as PoolAttrs;
      const dyv = f32(backend, dy), xv = f32(backend, input);
      const g = dyv && xv ? poolGeom(input.shape, a.filterSize, a.strides, a.pad, a.dimRoundingMode) : null;
      if (!g || !fitsOutput(g, dy) || sizeOf(input.shape.slice(1)) >= 2 ** 31) return fallback(args);
      const dx = backend.alloc(sizeOf(input.shape));
      // the forward's output (when it has the output's shape) spares recomputing each maximum
      const yv = y && sizeOf(y.shape) === sizeOf(g.info.outShape) ? f32(backend, y) : null;
      (addon.maxPoolGrad as MaxPoolGrad)(dyv!, xv!, yv, dx, g.geom);
      return output(backend, input.shape, dx);
    },
  };
}

export function avgPoolGradConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'AvgPoolGrad',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
      const a = args.attrs as unknown as PoolAttrs;
      const dyv = f32(backend, dy);
      // tfjs's AvgPoolGrad resolves the geometry without a rounding mode
      const g = dyv ? poolGeom(input.shape, a.filterSize, a.strides, a.pad, undefined) : null;
      if (!g || !fitsOutput(g, dy)) return fallback(args);
      const dx = backend.alloc(sizeOf(input.shape));
      (addon.avgPoolGrad as Pool)(dyv!, dx, g.geom);
      return output(backend, input.shape, dx);
    },
  };
}
