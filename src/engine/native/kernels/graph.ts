/**
 * The graph ops on the native backend, composed of its GatherV2 / UnsortedSegmentSum /
 * elementwise kernels exactly as the op composites ran them before they became kernels (2-4x
 * faster than the JS loops of the cpu kernels; GAT's training step 1.7-1.9x). DfaSpmm keeps its
 * JS loops here too (src/engine/cpu/spmm.ts). Intermediates are freed as they are consumed.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { GATHER_ROWS, SCATTER_ADD, type RowIndexAttrs } from '../../ops/gather_rows_kernel';
import { direction, PROPAGATE, PROPAGATE_EDGE_GRAD, type PropagateAttrs } from '../../ops/propagate_kernel';
import { SEGMENT_SOFTMAX, SEGMENT_SOFTMAX_GRAD, type SegmentAttrs } from '../../ops/segment_softmax_kernel';
import { spmmCpuKernel } from '../../cpu/spmm';
import { NATIVE_BACKEND } from '../name';
import type { NativeBackend } from '../native_backend';
import { output, sizeOf, values } from './util';

/** Runs the native backend's kernel `name` on TensorInfos. */
function call(backend: NativeBackend, name: string, inputs: Record<string, TensorInfo>, attrs: object = {}): TensorInfo {
  const k = tf.getKernel(name, NATIVE_BACKEND);
  if (!k) throw new Error(`native backend has no kernel ${name}`);
  return k.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
}

/** The same data seen with another shape (what Reshape does, without a kernel). */
const view = (t: TensorInfo, shape: number[]): TensorInfo => ({ dataId: t.dataId, shape, dtype: t.dtype });

const indexInfo = (backend: NativeBackend, idx: Int32Array): TensorInfo => backend.makeTensorInfo([idx.length], 'int32', idx);

function free(backend: NativeBackend, ...ts: TensorInfo[]): void {
  for (const t of ts) backend.disposeIntermediateTensorInfo(t);
}

const gather = (b: NativeBackend, x: TensorInfo, idx: TensorInfo) => call(b, 'GatherV2', { x, indices: idx }, { axis: 0, batchDims: 0 });
const segmentSum = (b: NativeBackend, x: TensorInfo, ids: TensorInfo, n: number) => call(b, 'UnsortedSegmentSum', { x, segmentIds: ids }, { numSegments: n });

function kernel(kernelName: string, f: (b: NativeBackend, inputs: Record<string, TensorInfo>, attrs: unknown) => TensorInfo): KernelConfig {
  return { kernelName, backendName: NATIVE_BACKEND, kernelFunc: ({ inputs, backend, attrs }) => f(backend as NativeBackend, inputs as Record<string, TensorInfo>, attrs) };
}

export function graphKernels(): KernelConfig[] {
  return [
    kernel(GATHER_ROWS, (b, { x }, attrs) => {
      const i = indexInfo(b, (attrs as RowIndexAttrs).idx);
      const out = gather(b, x!, i);
      free(b, i);
      return out;
    }),
    kernel(SCATTER_ADD, (b, { v }, attrs) => {
      const { idx, numRows } = attrs as RowIndexAttrs;
      const i = indexInfo(b, idx);
      const out = segmentSum(b, v!, i, numRows);
      free(b, i);
      return out;
    }),
    // messages gather(x, from) [E, H, C] scaled per edge and head, summed at `to`
    kernel(PROPAGATE, (b, { x, w }, attrs) => {
      const a = attrs as PropagateAttrs;
      const { from, to } = direction(a);
      const n = a.graph.numNodes, E = from.length, F = sizeOf(x!.shape) / n, H = a.heads, C = F / H;
      const fi = indexInfo(b, from), ti = indexInfo(b, to);
      const m = gather(b, view(x!, [n, F]), fi);
      const scaled = call(b, 'Multiply', { a: view(m, [E, H, C]), b: view(w!, [E, H, 1]) });
      const out = segmentSum(b, view(scaled, [E, F]), ti, n);
      free(b, fi, ti, m, scaled);
      return view(out, x!.shape);
    }),
    // dw[e, h] = Σ_c dy[to[e], h, c] · x[from[e], h, c]
    kernel(PROPAGATE_EDGE_GRAD, (b, { dy, x }, attrs) => {
      const a = attrs as PropagateAttrs;
      const { from, to } = direction(a);
      const n = a.graph.numNodes, E = from.length, F = sizeOf(x!.shape) / n, H = a.heads, C = F / H;
      const fi = indexInfo(b, from), ti = indexInfo(b, to);
      const ga = gather(b, view(dy!, [n, F]), ti), gb = gather(b, view(x!, [n, F]), fi);
      const prod = call(b, 'Multiply', { a: view(ga, [E, H, C]), b: view(gb, [E, H, C]) });
      const out = call(b, 'Sum', { x: prod }, { axis: 2, keepDims: false });
      free(b, fi, ti, ga, gb, prod);
      return out;
    }),
    // the per-segment maxima (for stability) in one JS pass, the rest on the kernels
    kernel(SEGMENT_SOFTMAX, (b, { s }, attrs) => {
      const { dst, n } = attrs as SegmentAttrs;
      const sv = values(b, s!, SEGMENT_SOFTMAX);
      const E = dst.length, H = E ? sv.length / E : 1;
      const mx = new Float32Array(n * H).fill(-Infinity);
      for (let e = 0; e < E; e++) {
        const o = dst[e]! * H;
        for (let h = 0; h < H; h++) if (sv[e * H + h]! > mx[o + h]!) mx[o + h] = sv[e * H + h]!;
      }
      const d = indexInfo(b, dst), mxi = output(b, [n, H], mx);
      const gm = gather(b, mxi, d);
      const diff = call(b, 'Sub', { a: view(s!, [E, H]), b: gm });
      const ex = call(b, 'Exp', { x: diff });
      const sum = segmentSum(b, ex, d, n);
      const gs = gather(b, sum, d);
      const alpha = call(b, 'RealDiv', { a: ex, b: gs });
      free(b, d, mxi, gm, diff, ex, sum, gs);
      return view(alpha, s!.shape);
    }),
    kernel(SEGMENT_SOFTMAX_GRAD, (b, { alpha, dy }, attrs) => {
      const { dst, n } = attrs as SegmentAttrs;
      const E = dst.length, H = E ? sizeOf(alpha!.shape) / E : 1;
      const d = indexInfo(b, dst);
      const a = view(alpha!, [E, H]), dv = view(dy!, [E, H]);
      const p = call(b, 'Multiply', { a, b: dv });
      const dot = segmentSum(b, p, d, n);
      const gd = gather(b, dot, d);
      const diff = call(b, 'Sub', { a: dv, b: gd });
      const out = call(b, 'Multiply', { a, b: diff });
      free(b, d, p, dot, gd, diff);
      return view(out, alpha!.shape);
    }),
    { ...spmmCpuKernel, backendName: NATIVE_BACKEND },
  ];
}
