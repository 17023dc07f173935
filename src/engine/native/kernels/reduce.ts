/** Sum, Mean, Max, Min, Prod over contiguous axes, natively; other axis sets via the cpu kernel. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { util, backend_util } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output } from './util';

const CODES: Record<string, number> = { Sum: 0, Mean: 1, Max: 2, Min: 3, Prod: 4 };
type Reduce = (op: number, x: Float32Array, out: Float32Array, outer: number, red: number, inner: number) => void;

export function reduceConfig(addon: NativeAddon, name: string, fallback: KernelFunc): KernelConfig {
  const code = CODES[name]!;
  const reduce = addon.reduce as Reduce;
  return {
    kernelName: name,
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const x = (args.inputs as { x: TensorInfo }).x;
      const attrs = args.attrs as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
      const xv = x.dtype === 'float32' ? f32(backend, x) : null;
      if (!xv) return fallback(args);
      // null/undefined axis means every axis (tfjs semantics); [] means none.
      const raw = 'axis' in attrs ? attrs.axis : attrs.reductionIndices;
      const axes = util.parseAxisParam((raw ?? null) as number[], x.shape).sort((p, q) => p - q);
      for (let i = 1; i < axes.length; i++) if (axes[i] !== axes[i - 1]! + 1) return fallback(args);
      const r = x.shape.length;
      let outer = 1, red = 1, inner = 1;
      for (let d = 0; d < r; d++) {
        if (axes.includes(d)) red *= x.shape[d]!;
        else if (axes.length && d < axes[0]!) outer *= x.shape[d]!;
        else inner *= x.shape[d]!;
      }
      if (axes.length === 0) {
        inner = 1;
        outer = xv.length;
      }
      const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
      const out = backend.alloc(outer * inner);
      reduce(code, xv, out, outer, red, inner);
      const shape = attrs.keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
      return output(backend, shape, out);
    },
  };
}
