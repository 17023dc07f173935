/**
 * DfaPropagate and DfaPropagateEdgeGrad in JS loops (the cpu backend's). One head: a CSR product
 * over the edges grouped by target, the order cached per graph; several heads: a loop over the edges.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { direction, PROPAGATE, PROPAGATE_EDGE_GRAD, type EdgeList, type PropagateAttrs } from '../ops/propagate_kernel';
import { csrTimesDense } from './csr';
import { f32, output } from './util';

interface EdgeCsr {
  indptr: Int32Array;
  indices: Int32Array;
  perm: Int32Array;
}
const csrCache = new WeakMap<EdgeList, { byDst?: EdgeCsr; bySrc?: EdgeCsr }>();

/** The edges grouped by target (byDst: rows = dst, columns = src) or by source, with the edge order. */
function csrOf(g: EdgeList, byDst: boolean): EdgeCsr {
  let c = csrCache.get(g);
  if (!c) csrCache.set(g, (c = {}));
  const key = byDst ? 'byDst' : 'bySrc';
  const have = c[key];
  if (have) return have;
  const rows = byDst ? g.dst : g.src, cols = byDst ? g.src : g.dst;
  const n = g.numNodes, E = rows.length;
  const indptr = new Int32Array(n + 1);
  for (let e = 0; e < E; e++) indptr[rows[e]! + 1]!++;
  for (let i = 0; i < n; i++) indptr[i + 1]! += indptr[i]!;
  const fill = indptr.slice(0, n);
  const perm = new Int32Array(E), indices = new Int32Array(E);
  for (let e = 0; e < E; e++) {
    const k = fill[rows[e]!]!++;
    perm[k] = e;
    indices[k] = cols[e]!;
  }
  return (c[key] = { indptr, indices, perm });
}

export const propagateCpuKernel: KernelConfig = {
  kernelName: PROPAGATE,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, w } = inputs as { x: TensorInfo; w: TensorInfo };
    const a = attrs as unknown as PropagateAttrs;
    const b = backend as MathBackendCPU;
    const g = a.graph, heads = a.heads, { from, to } = direction(a);
    const n = g.numNodes, E = from.length;
    const xv = f32(b, x), wv = f32(b, w);
    const F = xv.length / n, C = F / heads;
    if (heads === 1) {
      const c = csrOf(g, !a.transpose);
      const vals = new Float32Array(E);
      for (let k = 0; k < E; k++) vals[k] = wv[c.perm[k]!]!;
      return output(b, x.shape, csrTimesDense(c.indptr, c.indices, vals, n, xv, F));
    }
    const out = new Float32Array(n * F);
    for (let e = 0; e < E; e++) {
      const s = from[e]! * F, d = to[e]! * F;
      for (let h = 0; h < heads; h++) {
        const we = wv[e * heads + h]!;
        const o = h * C;
        for (let c = 0; c < C; c++) out[d + o + c]! += we * xv[s + o + c]!;
      }
    }
    return output(b, x.shape, out);
  },
};

/** dw[e, h] = <dy[to[e], h, :], x[from[e], h, :]>, shape [E, H] (the op reshapes it like w). */
export const propagateEdgeGradCpuKernel: KernelConfig = {
  kernelName: PROPAGATE_EDGE_GRAD,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
    const a = attrs as unknown as PropagateAttrs;
    const b = backend as MathBackendCPU;
    const heads = a.heads, { from, to } = direction(a);
    const E = from.length, n = a.graph.numNodes;
    const dv = f32(b, dy), xv = f32(b, x);
    const F = xv.length / n, C = F / heads;
    const dw = new Float32Array(E * heads);
    for (let e = 0; e < E; e++) {
      const s = from[e]! * F, d = to[e]! * F;
      for (let h = 0; h < heads; h++) {
        let acc = 0;
        for (let c = h * C; c < (h + 1) * C; c++) acc += dv[d + c]! * xv[s + c]!;
        dw[e * heads + h] = acc;
      }
    }
    return output(b, [E, heads], dw);
  },
};
