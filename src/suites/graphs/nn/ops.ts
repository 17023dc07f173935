/**
 * Message-passing primitives over an edge list, differentiable on the tfjs tape, never forming an
 * N×N matrix. Each is one tape node (src/feedback/tape `customOp`) with a hand-written gradient,
 * so cost is O(E·F) on every backend:
 * - on the native backend, gather / scatter-add / propagate / segment softmax run as the native
 *   GatherV2 and UnsortedSegmentSum kernels plus elementwise ops (2-4x faster than JS loops);
 * - elsewhere (tfjs cpu, browser) as plain loops over the float32 data: tfjs's own
 *   UnsortedSegmentSum on cpu loops over segments with a dense mask each time, O(N·E·F), far too
 *   slow for a 2708-node graph. (tfjs's autodiff of gather → unsortedSegmentSum is slow on every
 *   backend, hence the hand-written gradients on both paths.)
 * The two paths agree to float32 rounding (the loops accumulate in float64).
 *
 * Edge e goes src[e] → dst[e]; messages are summed at dst (PyG's "source_to_target" flow).
 */
import * as tf from '@tensorflow/tfjs';
import { customOp } from '../../../feedback/tape';
import type { Csr } from '../data/planetoid';
import { currentNativeBackend } from '../../../engine/native/current';

/** `loops: true` forces the JS-loop path on the native backend too (parity tests, benchmarks). */
export const opsConfig = { loops: false };

/** Take the native-kernel path? (GatherV2 / UnsortedSegmentSum are native there, O(E·F).) */
function useNative(): boolean {
  return !opsConfig.loops && currentNativeBackend() !== null;
}

/**
 * An int32 tensor of `idx`. Made per call inside the op's scope (the copy is negligible beside the
 * op): caching per array would leak kept tensors for the per-epoch arrays (negative samples, the
 * graphs each run builds).
 */
function indexTensor(idx: Int32Array): tf.Tensor1D {
  return tf.tensor1d(idx, 'int32');
}

function f32(t: tf.Tensor): Float32Array {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

function checkIndex(idx: Int32Array, n: number, what: string): void {
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= n) throw new Error(`${what}: index ${v} at position ${i} is outside [0, ${n})`);
  }
}

/** out[i] = x[idx[i]] (rows). Gradient: scatter-add of dy into the rows idx. */
export function gatherRows(x: tf.Tensor, idx: Int32Array): tf.Tensor {
  const n = x.shape[0]!;
  const cols = x.size / n;
  checkIndex(idx, n, 'gatherRows');
  if (useNative()) {
    return customOp({ x }, () => tf.gather(x, indexTensor(idx)), (dy) => ({ x: () => scatterAdd(dy, idx, n) }));
  }
  return customOp(
    { x },
    () => {
      const xv = f32(x);
      const out = new Float32Array(idx.length * cols);
      for (let i = 0; i < idx.length; i++) out.set(xv.subarray(idx[i]! * cols, idx[i]! * cols + cols), i * cols);
      return tf.tensor(out, [idx.length, ...x.shape.slice(1)]);
    },
    (dy) => ({ x: () => scatterAdd(dy, idx, n) }),
  );
}

/** out[idx[i]] += v[i] (rows), out has n rows. Gradient: gather of dy at idx. */
export function scatterAdd(v: tf.Tensor, idx: Int32Array, n: number): tf.Tensor {
  const m = v.shape[0]!;
  if (idx.length !== m) throw new Error(`scatterAdd: ${idx.length} indices for ${m} rows`);
  const cols = m ? v.size / m : v.shape.slice(1).reduce((a, b) => a * b, 1);
  checkIndex(idx, n, 'scatterAdd');
  if (useNative()) {
    return customOp({ v }, () => tf.unsortedSegmentSum(v, indexTensor(idx), n), (dy) => ({ v: () => gatherRows(dy, idx) }));
  }
  return customOp(
    { v },
    () => {
      const vv = f32(v);
      const out = new Float32Array(n * cols);
      for (let i = 0; i < m; i++) {
        const o = idx[i]! * cols, s = i * cols;
        for (let c = 0; c < cols; c++) out[o + c]! += vv[s + c]!;
      }
      return tf.tensor(out, [n, ...v.shape.slice(1)]);
    },
    (dy) => ({ v: () => gatherRows(dy, idx) }),
  );
}

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

/** The edge list a propagation runs over. */
export interface EdgeList {
  numNodes: number;
  src: Int32Array;
  dst: Int32Array;
}

/**
 * out[dst[e]] += w[e, h] · x[src[e], h, :] for every edge e and head h.
 * x: [N, F] (one head) or [N, H·C] viewed as H heads of C columns; w: per-edge weights, either a
 * constant Float32Array of length E·H, a tensor [E] / [E, H] (differentiable), or omitted (1).
 * Gradients: dx = the transposed propagation; dw[e, h] = <dy[dst[e], h, :], x[src[e], h, :]>.
 */
export function propagate(x: tf.Tensor, g: EdgeList, w?: tf.Tensor | Float32Array, heads = 1): tf.Tensor {
  const n = x.shape[0]!;
  if (n !== g.numNodes) throw new Error(`propagate: x has ${n} rows for a graph of ${g.numNodes} nodes`);
  const F = x.size / n;
  if (F % heads !== 0) throw new Error(`propagate: ${F} columns do not split into ${heads} heads`);
  const C = F / heads;
  const E = g.src.length;
  const wLen = w === undefined ? E * heads : w instanceof Float32Array ? w.length : w.size;
  if (wLen !== E * heads) throw new Error(`propagate: ${wLen} edge weights for ${E} edges × ${heads} heads`);
  const run = (xv: Float32Array, wv: Float32Array | null, from: Int32Array, to: Int32Array): Float32Array => {
    if (heads === 1) {
      // one head: a CSR product over the edges grouped by target (cached order)
      const c = csrOf(g, to === g.dst);
      const vals = new Float32Array(E);
      for (let k = 0; k < E; k++) vals[k] = wv ? wv[c.perm[k]!]! : 1;
      return csrTimesDense(c.indptr, c.indices, vals, n, xv, F);
    }
    const out = new Float32Array(n * F);
    for (let e = 0; e < E; e++) {
      const s = from[e]! * F, d = to[e]! * F;
      for (let h = 0; h < heads; h++) {
        const we = wv ? wv[e * heads + h]! : 1;
        const o = h * C;
        for (let c = 0; c < C; c++) out[d + o + c]! += we * xv[s + o + c]!;
      }
    }
    return out;
  };
  const inputs: Record<string, tf.Tensor> = { x };
  if (w instanceof tf.Tensor) inputs.w = w;
  const constW = w instanceof Float32Array ? w : null;
  if (useNative()) return propagateNative(x, g, w, heads, inputs);
  // Tensors the backward reads must be saved: the engine disposes the forward's other tensors.
  return customOp(
    inputs,
    (save) => {
      save(w instanceof tf.Tensor ? [x, w] : [x]);
      const wv = w instanceof tf.Tensor ? f32(w) : constW;
      return tf.tensor(run(f32(x), wv, g.src, g.dst), x.shape);
    },
    (dy, saved) => {
      const [xs, ws] = saved as [tf.Tensor, tf.Tensor | undefined];
      const grads: Record<string, () => tf.Tensor> = {
        // the transposed propagation is not itself differentiated (no second-order use here)
        x: () => tf.tensor(run(f32(dy), ws ? f32(ws) : constW, g.dst, g.src), x.shape),
      };
      if (ws) {
        grads.w = () => {
          const dv = f32(dy), xv = f32(xs);
          const dw = new Float32Array(E * heads);
          for (let e = 0; e < E; e++) {
            const s = g.src[e]! * F, d = g.dst[e]! * F;
            for (let h = 0; h < heads; h++) {
              let acc = 0;
              for (let c = h * C; c < (h + 1) * C; c++) acc += dv[d + c]! * xv[s + c]!;
              dw[e * heads + h] = acc;
            }
          }
          return tf.tensor(dw, ws.shape);
        };
      }
      return grads;
    },
  );
}

/** Weights of `w` as an [E, H, 1] tensor. */
function edgeWeights3(w: tf.Tensor | Float32Array, E: number, heads: number): tf.Tensor {
  return w instanceof tf.Tensor ? tf.reshape(w, [E, heads, 1]) : tf.tensor3d(w, [E, heads, 1]);
}

/**
 * propagate on the native kernels: messages gather(x, src) [E, H, C] scaled per edge and head,
 * UnsortedSegmentSum at dst. Backward: dx = the same with src and dst swapped;
 * dw[e, h] = Σ_c dy[dst[e], h, c] · x[src[e], h, c].
 */
function propagateNative(x: tf.Tensor, g: EdgeList, w: tf.Tensor | Float32Array | undefined, heads: number, inputs: Record<string, tf.Tensor>): tf.Tensor {
  const n = g.numNodes, E = g.src.length, F = x.size / n, C = F / heads;
  const run = (v: tf.Tensor, wt: tf.Tensor | Float32Array | undefined, from: Int32Array, to: Int32Array): tf.Tensor =>
    tf.tidy(() => {
      let m = tf.gather(tf.reshape(v, [n, F]), indexTensor(from));
      if (wt !== undefined) m = tf.reshape(tf.mul(tf.reshape(m, [E, heads, C]), edgeWeights3(wt, E, heads)), [E, F]);
      return tf.reshape(tf.unsortedSegmentSum(m, indexTensor(to), n), x.shape);
    });
  return customOp(
    inputs,
    (save) => {
      save(w instanceof tf.Tensor ? [x, w] : [x]);
      return run(x, w, g.src, g.dst);
    },
    (dy, saved) => {
      const [xs, ws] = saved as [tf.Tensor, tf.Tensor | undefined];
      const grads: Record<string, () => tf.Tensor> = { x: () => run(dy, ws ?? (w instanceof Float32Array ? w : undefined), g.dst, g.src) };
      if (ws) {
        grads.w = () =>
          tf.tidy(() => {
            const a = tf.reshape(tf.gather(tf.reshape(dy, [n, F]), indexTensor(g.dst)), [E, heads, C]);
            const b = tf.reshape(tf.gather(tf.reshape(xs, [n, F]), indexTensor(g.src)), [E, heads, C]);
            return tf.reshape(tf.sum(tf.mul(a, b), 2), ws.shape);
          });
      }
      return grads;
    },
  );
}

/**
 * Softmax of per-edge scores over the edges that share a target: s [E] or [E, H] → α with
 * Σ_{e: dst[e]=i} α[e, h] = 1. Gradient: dα → α ⊙ (dα − Σ_seg α dα).
 */
export function segmentSoftmax(s: tf.Tensor, dst: Int32Array, n: number): tf.Tensor {
  const E = dst.length;
  const H = E ? s.size / E : 1;
  if (s.size !== E * H || !Number.isInteger(H)) throw new Error(`segmentSoftmax: ${s.size} scores for ${E} edges`);
  checkIndex(dst, n, 'segmentSoftmax');
  if (useNative()) return segmentSoftmaxNative(s, dst, n, E, H);
  let alpha: Float32Array;
  return customOp(
    { s },
    () => {
      const sv = f32(s);
      const mx = new Float32Array(n * H).fill(-Infinity);
      for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) {
        const i = dst[e]! * H + h;
        if (sv[e * H + h]! > mx[i]!) mx[i] = sv[e * H + h]!;
      }
      alpha = new Float32Array(E * H);
      const sum = new Float32Array(n * H);
      for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) {
        const v = Math.exp(sv[e * H + h]! - mx[dst[e]! * H + h]!);
        alpha[e * H + h] = v;
        sum[dst[e]! * H + h]! += v;
      }
      for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) alpha[e * H + h]! /= sum[dst[e]! * H + h]!;
      return tf.tensor(alpha, s.shape);
    },
    (dy) => ({
      s: () => {
        const dv = f32(dy);
        const dot = new Float32Array(n * H);
        for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) dot[dst[e]! * H + h]! += alpha[e * H + h]! * dv[e * H + h]!;
        const ds = new Float32Array(E * H);
        for (let e = 0; e < E; e++) for (let h = 0; h < H; h++) ds[e * H + h] = alpha[e * H + h]! * (dv[e * H + h]! - dot[dst[e]! * H + h]!);
        return tf.tensor(ds, s.shape);
      },
    }),
  );
}

/** segmentSoftmax on the native kernels; the per-segment maxima (for stability) in one JS pass. */
function segmentSoftmaxNative(s: tf.Tensor, dst: Int32Array, n: number, E: number, H: number): tf.Tensor {
  return customOp(
    { s },
    (save) => {
      const sv = f32(s);
      const mx = new Float32Array(n * H).fill(-Infinity);
      for (let e = 0; e < E; e++) {
        const o = dst[e]! * H;
        for (let h = 0; h < H; h++) if (sv[e * H + h]! > mx[o + h]!) mx[o + h] = sv[e * H + h]!;
      }
      const alpha = tf.tidy(() => {
        const d = indexTensor(dst);
        const s2 = tf.reshape(s, [E, H]);
        const ex = tf.exp(tf.sub(s2, tf.gather(tf.tensor2d(mx, [n, H]), d)));
        return tf.reshape(tf.div(ex, tf.gather(tf.unsortedSegmentSum(ex, d, n), d)), s.shape);
      });
      save([alpha]);
      return alpha;
    },
    (dy, saved) => ({
      s: () =>
        tf.tidy(() => {
          const d = indexTensor(dst);
          const a = tf.reshape(saved[0]!, [E, H]);
          const dv = tf.reshape(dy, [E, H]);
          const dot = tf.unsortedSegmentSum(tf.mul(a, dv), d, n);
          return tf.reshape(tf.mul(a, tf.sub(dv, tf.gather(dot, d))), s.shape);
        }),
    }),
  );
}

/**
 * Sparse features times a dense weight: X (CSR, constant) · W [F, H] → [N, H]. JS loops on every
 * backend: a gather → scale → UnsortedSegmentSum formulation on the native kernels measured no
 * faster (Cora/CiteSeer, H = 16 and 64) and needs nnz × H floats of scratch. `values` replaces
 * X's stored values (e.g. a dropout-masked copy). Gradient (W only; X is data): Xᵀ · dy.
 */
export function spmm(x: Csr, W: tf.Tensor, values?: Float32Array): tf.Tensor {
  if (W.shape[0] !== x.numCols) throw new Error(`spmm: X has ${x.numCols} columns, W has ${W.shape[0]} rows`);
  const H = W.shape[1]!;
  const vals = values ?? x.data;
  if (vals.length !== x.indices.length) throw new Error(`spmm: ${vals.length} values for ${x.indices.length} non-zeros`);
  const { indptr, indices, numRows: N } = x;
  return customOp(
    { W },
    () => tf.tensor(csrTimesDense(indptr, indices, vals, N, f32(W), H), [N, H]),
    (dy) => ({
      W: () => tf.tensor(csrTransposeTimesDense(indptr, indices, vals, N, x.numCols, f32(dy), H), W.shape),
    }),
  );
}

/**
 * out = X · D for CSR X [N, *] and dense D [*, H]. Columns go in blocks of 4 held in locals
 * (V8 keeps them in registers): about 2.5x faster than accumulating into `out` directly.
 */
export function csrTimesDense(indptr: Int32Array, indices: Int32Array, vals: Float32Array, N: number, D: Float32Array, H: number): Float32Array {
  const out = new Float32Array(N * H);
  for (let i = 0; i < N; i++) {
    const p0 = indptr[i]!, p1 = indptr[i + 1]!, o = i * H;
    let c = 0;
    for (; c + 4 <= H; c += 4) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let p = p0; p < p1; p++) {
        const v = vals[p]!, r = indices[p]! * H + c;
        a0 += v * D[r]!;
        a1 += v * D[r + 1]!;
        a2 += v * D[r + 2]!;
        a3 += v * D[r + 3]!;
      }
      out[o + c] = a0;
      out[o + c + 1] = a1;
      out[o + c + 2] = a2;
      out[o + c + 3] = a3;
    }
    for (; c < H; c++) {
      let a = 0;
      for (let p = p0; p < p1; p++) a += vals[p]! * D[indices[p]! * H + c]!;
      out[o + c] = a;
    }
  }
  return out;
}

/** out = Xᵀ · D for CSR X [N, M] and dense D [N, H] → [M, H]. */
export function csrTransposeTimesDense(indptr: Int32Array, indices: Int32Array, vals: Float32Array, N: number, M: number, D: Float32Array, H: number): Float32Array {
  const out = new Float32Array(M * H);
  for (let i = 0; i < N; i++) {
    const p0 = indptr[i]!, p1 = indptr[i + 1]!, o = i * H;
    let c = 0;
    for (; c + 4 <= H; c += 4) {
      const d0 = D[o + c]!, d1 = D[o + c + 1]!, d2 = D[o + c + 2]!, d3 = D[o + c + 3]!;
      for (let p = p0; p < p1; p++) {
        const v = vals[p]!, r = indices[p]! * H + c;
        out[r] += v * d0;
        out[r + 1] += v * d1;
        out[r + 2] += v * d2;
        out[r + 3] += v * d3;
      }
    }
    for (; c < H; c++) {
      const d = D[o + c]!;
      for (let p = p0; p < p1; p++) out[indices[p]! * H + c] += vals[p]! * d;
    }
  }
  return out;
}

/** A dense [N, F] tensor of a CSR matrix (tests and small graphs). */
export function csrToDense(x: Csr): tf.Tensor2D {
  const out = new Float32Array(x.numRows * x.numCols);
  for (let i = 0; i < x.numRows; i++) for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) out[i * x.numCols + x.indices[p]!] = x.data[p]!;
  return tf.tensor2d(out, [x.numRows, x.numCols]);
}
