/** Transpose, Slice and SplitV as strided copies. Slice always copies: a view (subarray) would pin
 *  the source buffer out of the pool. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { slice_util, util, backend_util } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';

type StridedCopy = (x: Float32Array, out: Float32Array, shape: Int32Array, strides: Int32Array, offset: number) => void;

function contiguousStrides(shape: number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    st[d] = acc;
    acc *= shape[d]!;
  }
  return st;
}

export function transposeConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'Transpose',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const x = (args.inputs as { x: TensorInfo }).x;
      const perm = (args.attrs as { perm: number[] }).perm;
      const xv = x.dtype === 'float32' ? f32(backend, x) : null;
      if (!xv || x.shape.length === 0 || x.shape.length > 8) return fallback(args);
      // identity permutation (tfjs's gather gradient makes one on the [vocab, d] embedding
      // gradient): share the data, as the Identity kernel does
      if (perm.every((p, i) => p === i)) {
        backend.incRef(x.dataId);
        return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
      }
      const st = contiguousStrides(x.shape);
      const outShape = perm.map((p) => x.shape[p]!);
      const out = backend.alloc(xv.length);
      if (xv.length) (addon.stridedCopy as StridedCopy)(xv, out, Int32Array.from(outShape), Int32Array.from(perm.map((p) => st[p]!)), 0);
      return output(backend, outShape, out);
    },
  };
}

export function sliceConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'Slice',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const x = (args.inputs as { x: TensorInfo }).x;
      const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
      const xv = x.dtype === 'float32' ? f32(backend, x) : null;
      if (!xv || x.shape.length === 0 || x.shape.length > 8) return fallback(args);
      const [b, s] = slice_util.parseSliceParams(x as never, begin, size);
      slice_util.assertParamsValid(x as never, b, s);
      const st = contiguousStrides(x.shape);
      const out = backend.alloc(sizeOf(s));
      if (out.length) {
        const offset = b.reduce((acc, bi, d) => acc + bi * st[d]!, 0);
        (addon.stridedCopy as StridedCopy)(xv, out, Int32Array.from(s), Int32Array.from(st), offset);
      }
      return output(backend, s, out);
    },
  };
}

/** SplitV: one strided copy per piece (tfjs's cpu kernel slices element by element in JS). */
export function splitVConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'SplitV',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const x = (args.inputs as { x: TensorInfo }).x;
      const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
      const xv = x.dtype === 'float32' ? f32(backend, x) : null;
      if (!xv || x.shape.length === 0 || x.shape.length > 8) return fallback(args);
      const ax = util.parseAxisParam(axis, x.shape)[0]!;
      const sizes = backend_util.prepareSplitSize(x as never, numOrSizeSplits, ax);
      const st = contiguousStrides(x.shape);
      let begin = 0;
      return sizes.map((s) => {
        const shape = x.shape.slice();
        shape[ax] = s;
        const out = backend.alloc(sizeOf(shape));
        if (out.length) (addon.stridedCopy as StridedCopy)(xv, out, Int32Array.from(shape), Int32Array.from(st), begin * st[ax]!);
        begin += s;
        return output(backend, shape, out);
      }) as unknown as TensorInfo;
    },
  };
}

/**
 * Tile where every tiled dim has size 1 (what tf.broadcastTo runs, e.g. DFA's per-channel signal
 * spread over an image's positions): a strided copy with stride 0 along the repeated dims. Other
 * tilings go to the cpu kernel.
 */
export function tileConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'Tile',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const x = (args.inputs as { x: TensorInfo }).x;
      const reps = (args.attrs as { reps: number[] }).reps;
      const xv = x.dtype === 'float32' ? f32(backend, x) : null;
      const r = x.shape.length;
      if (!xv || r === 0 || r > 8 || reps.length !== r || x.shape.some((d, i) => reps[i] !== 1 && d !== 1)) return fallback(args);
      const outShape = x.shape.map((d, i) => d * reps[i]!);
      const st = contiguousStrides(x.shape).map((s, i) => (x.shape[i] === 1 ? 0 : s));
      const out = backend.alloc(sizeOf(outShape));
      if (out.length) (addon.stridedCopy as StridedCopy)(xv, out, Int32Array.from(outShape), Int32Array.from(st), 0);
      return output(backend, outShape, out);
    },
  };
}
