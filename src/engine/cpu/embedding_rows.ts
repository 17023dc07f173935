/** The embedding row kernels as plain loops over the arrays (every backend without its own; see ops/embedding_rows_kernel.ts). */
import type { EmbeddingRowKernels } from '../ops/embedding_rows_kernel';

export const cpuEmbeddingRowKernels: EmbeddingRowKernels = {
  gather(table, d, indices, stamp, slotOf, gen, slots, unique, out) {
    let U = 0;
    for (let i = 0; i < indices.length; i++) {
      const r = indices[i]!;
      if (!(r >= 0 && r < stamp.length)) return -i - 1;
      if (stamp[r] !== gen) {
        stamp[r] = gen;
        slotOf[r] = U;
        unique[U++] = r;
      }
      slots[i] = slotOf[r]!;
      for (let j = 0; j < d; j++) out[i * d + j] = table[r * d + j]!;
    }
    return U;
  },

  sparseAdam(w, m, v, d, unique, slots, grad, { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, c1, c2 }) {
    const U = unique.length;
    const sum = new Float32Array(U * d); // one gradient per unique row
    for (let i = 0; i < slots.length; i++) {
      const o = slots[i]! * d;
      for (let j = 0; j < d; j++) sum[o + j] += grad[i * d + j]!;
    }
    const step = lr / c1;
    for (let u = 0; u < U; u++) {
      for (let j = 0; j < d; j++) if (!Number.isFinite(sum[u * d + j]!)) return unique[u]!;
      const base = unique[u]! * d;
      for (let j = 0; j < d; j++) {
        const k = base + j;
        let g = sum[u * d + j]!;
        if (wd) g += wd * w[k]!;
        m[k] = b1 * m[k]! + (1 - b1) * g;
        v[k] = b2 * v[k]! + (1 - b2) * g * g;
        w[k] = w[k]! - (step * m[k]!) / (Math.sqrt(v[k]! / c2) + eps);
      }
    }
    return -1;
  },

  sumSquares(d, U, slots, grad) {
    const sum = new Float32Array(U * d);
    for (let i = 0; i < slots.length; i++) {
      const o = slots[i]! * d;
      for (let j = 0; j < d; j++) sum[o + j] += grad[i * d + j]!;
    }
    let sq = 0;
    for (let k = 0; k < sum.length; k++) sq += sum[k]! * sum[k]!;
    return sq;
  },
};
