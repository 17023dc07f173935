/**
 * Softmax over the last axis (tfjs's Softmax kernel only takes the last dim), and the loss kernels
 * built on it: DfaLogSoftmax and DfaSparseSoftmaxCE (names and gradients: src/engine/ops/).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { DFA_LOG_SOFTMAX } from '../../ops/log_softmax_kernel';
import { DFA_SPARSE_SOFTMAX_CE } from '../../ops/sparse_softmax_cross_entropy_kernel';
import { f32, output, sizeOf, values } from './util';

type Softmax = (x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean) => void;
type SparseCE = (logits: Float32Array, labels: Int32Array, grad: Float32Array | null, rows: number, cols: number) => number;

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

export function lossKernels(addon: NativeAddon): KernelConfig[] {
  return [
    {
      kernelName: DFA_LOG_SOFTMAX,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const x = (args.inputs as { logits: TensorInfo }).logits;
        const xv = values(backend, x, DFA_LOG_SOFTMAX);
        const cols = x.shape[x.shape.length - 1]!;
        const out = backend.alloc(xv.length);
        (addon.softmax as Softmax)(xv, out, cols ? xv.length / cols : 0, cols, true);
        return output(backend, x.shape, out);
      },
    },
    {
      // logits [..., C], labels int32 [...] -> the mean loss (scalar) and its gradient (like logits)
      kernelName: DFA_SPARSE_SOFTMAX_CE,
      backendName: 'native',
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const { logits, labels } = args.inputs as { logits: TensorInfo; labels: TensorInfo };
        const lv = values(backend, logits, DFA_SPARSE_SOFTMAX_CE);
        const yv = backend.data.get(labels.dataId).values;
        if (labels.dtype !== 'int32' || !(yv instanceof Int32Array)) throw new Error(`${DFA_SPARSE_SOFTMAX_CE}: int32 labels expected`);
        const C = logits.shape[logits.shape.length - 1]!, N = sizeOf(labels.shape);
        const grad = backend.alloc(lv.length);
        const loss = (addon.sparseSoftmaxCE as SparseCE)(lv, yv, grad, N, C);
        return [output(backend, [], Float32Array.of(loss)), output(backend, logits.shape, grad)];
      },
    },
  ];
}
