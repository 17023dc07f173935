/** GatherV2 (batchDims 0) and UnsortedSegmentSum on float32 data with int32 indices. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { util } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';

function i32(backend: NativeBackend, t: TensorInfo): Int32Array | null {
  const v = backend.data.get(t.dataId).values;
  return v instanceof Int32Array ? v : null;
}

type Gather = (x: Float32Array, idx: Int32Array, out: Float32Array, outer: number, axis: number, inner: number) => void;
type SegSum = (x: Float32Array, ids: Int32Array, out: Float32Array, numSegments: number, inner: number) => void;

export function gatherConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'GatherV2',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
      const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
      const xv = x.dtype === 'float32' ? f32(backend, x) : null;
      const iv = indices.dtype === 'int32' ? i32(backend, indices) : null;
      if (!xv || !iv || batchDims) return fallback(args);
      const ax = util.parseAxisParam(axis, x.shape)[0]!;
      const outer = sizeOf(x.shape.slice(0, ax)), inner = sizeOf(x.shape.slice(ax + 1));
      const outShape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
      const out = backend.alloc(sizeOf(outShape));
      (addon.gather as Gather)(xv, iv, out, outer, x.shape[ax]!, inner);
      return output(backend, outShape, out);
    },
  };
}

export function unsortedSegmentSumConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'UnsortedSegmentSum',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const { x, segmentIds } = args.inputs as { x: TensorInfo; segmentIds: TensorInfo };
      const { numSegments } = args.attrs as { numSegments: number };
      const xv = x.dtype === 'float32' ? f32(backend, x) : null;
      const iv = segmentIds.dtype === 'int32' ? i32(backend, segmentIds) : null;
      if (!xv || !iv) return fallback(args);
      const inner = sizeOf(x.shape.slice(segmentIds.shape.length));
      const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
      const out = backend.alloc(sizeOf(outShape));
      (addon.segmentSum as SegSum)(xv, iv, out, numSegments, inner);
      return output(backend, outShape, out);
    },
  };
}
