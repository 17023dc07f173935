/** Softmax over the last axis (tfjs's Softmax kernel only takes the last dim). */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output } from './util';

type Softmax = (x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean) => void;

export function softmaxConfig(addon: NativeAddon, fallback: KernelFunc): KernelConfig {
  return {
    kernelName: 'Softmax',
    backendName: 'native',
    kernelFunc: (args) => {
      const backend = args.backend as NativeBackend;
      const x = (args.inputs as { logits: TensorInfo }).logits;
      const dim = (args.attrs as { dim: number }).dim;
      const r = x.shape.length;
      const xv = x.dtype === 'float32' ? f32(backend, x) : null;
      if (!xv || r === 0 || (dim !== -1 && dim !== r - 1)) return fallback(args);
      const cols = x.shape[r - 1]!;
      const out = backend.alloc(xv.length);
      (addon.softmax as Softmax)(xv, out, cols ? xv.length / cols : 0, cols, false);
      return output(backend, x.shape, out);
    },
  };
}
