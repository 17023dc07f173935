/**
 * Classification data generated in the package (no download), from a seeded Rng.
 * - rings: concentric radius bands in a random plane of a Gaussian input (the demo's task).
 * - teacher: labels = argmax of a random tanh "teacher" MLP that sees only a few random directions
 *   of the Gaussian inputs: a student must learn those directions in its first layer, so fixed
 *   random hidden layers (shallow training) do poorly.
 */
import { Rng } from '../engine/rng';

export interface ClassificationData {
  x: Float32Array;
  y: Int32Array;
  n: number;
  dim: number;
  classes: number;
}

export function teacher(
  n: number, dim: number, classes: number, rng: Rng,
  opts: { relevant?: number; hidden?: number; depth?: number; gain?: number } = {},
): ClassificationData {
  const k = opts.relevant ?? dim;
  const h = opts.hidden ?? 32;
  const depth = opts.depth ?? 2;
  const gain = opts.gain ?? 2;
  // The teacher's first matrix maps only the first k of `dim` random directions.
  const dims = [dim, ...new Array(depth).fill(h), classes];
  const Ws = dims.slice(0, -1).map((d, i) => rng.normalArray(d * dims[i + 1]!, 0, gain / Math.sqrt(i === 0 ? k : d)));
  const Q = orthonormalColumns(dim, k, rng); // [dim, k]
  const W0 = new Float32Array(dim * h);
  for (let a = 0; a < dim; a++) for (let j = 0; j < h; j++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += Q[a * k + c]! * Ws[0]![c * h + j]!;
    W0[a * h + j] = s;
  }
  Ws[0] = W0;
  const x = rng.normalArray(n * dim);
  const y = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    let a: Float64Array = Float64Array.from(x.subarray(s * dim, (s + 1) * dim));
    for (let l = 0; l < Ws.length; l++) {
      const [din, dout] = [dims[l]!, dims[l + 1]!];
      const z = new Float64Array(dout);
      for (let i = 0; i < din; i++) for (let j = 0; j < dout; j++) z[j] += a[i]! * Ws[l]![i * dout + j]!;
      a = l < Ws.length - 1 ? z.map(Math.tanh) : z;
    }
    let best = 0;
    for (let j = 1; j < classes; j++) if (a[j]! > a[best]!) best = j;
    y[s] = best;
  }
  return { x, y, n, dim, classes };
}

/**
 * Concentric rings in a random plane: x ~ N(0, I_dim), z = x·Q for a random orthonormal dim×2 Q,
 * class = which of `classes` equal-probability radius bands |z| falls in (|z|² ~ χ²(2), so the
 * band edges are 2·ln(K/(K−j))). Nothing linear in x predicts the class; a network must find the
 * plane and build the radius in its hidden layers.
 */
export function rings(n: number, dim: number, classes: number, rng: Rng): ClassificationData {
  const Q = orthonormalColumns(dim, 2, rng);
  const edges = Array.from({ length: classes - 1 }, (_, j) => 2 * Math.log(classes / (classes - 1 - j)));
  const x = rng.normalArray(n * dim);
  const y = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    let z0 = 0, z1 = 0;
    for (let i = 0; i < dim; i++) {
      z0 += x[s * dim + i]! * Q[i * 2]!;
      z1 += x[s * dim + i]! * Q[i * 2 + 1]!;
    }
    const r2 = z0 * z0 + z1 * z1;
    let c = 0;
    while (c < edges.length && r2 >= edges[c]!) c++;
    y[s] = c;
  }
  return { x, y, n, dim, classes };
}

/** dim × k matrix with orthonormal columns (Gram-Schmidt on Gaussian vectors), row-major. */
function orthonormalColumns(dim: number, k: number, rng: Rng): Float64Array {
  if (k > dim) throw new Error(`teacher: relevant directions (${k}) exceed the input dim (${dim})`);
  const cols: Float64Array[] = [];
  while (cols.length < k) {
    const v = Float64Array.from(rng.normalArray(dim));
    for (const c of cols) {
      let d = 0;
      for (let i = 0; i < dim; i++) d += v[i]! * c[i]!;
      for (let i = 0; i < dim; i++) v[i] -= d * c[i]!;
    }
    const nrm = Math.hypot(...v);
    if (nrm > 1e-6) cols.push(v.map((x) => x / nrm));
  }
  const Q = new Float64Array(dim * k);
  for (let i = 0; i < dim; i++) for (let c = 0; c < k; c++) Q[i * k + c] = cols[c]![i]!;
  return Q;
}

/** Shuffle once and cut into train/val/test by fractions. */
export function split(d: ClassificationData, fractions: [number, number, number], rng: Rng): { train: ClassificationData; val: ClassificationData; test: ClassificationData } {
  const p = rng.permutation(d.n);
  const nTrain = Math.round(d.n * fractions[0]);
  const nVal = Math.round(d.n * fractions[1]);
  const take = (idx: Int32Array): ClassificationData => {
    const x = new Float32Array(idx.length * d.dim);
    const y = new Int32Array(idx.length);
    idx.forEach((k, i) => {
      x.set(d.x.subarray(k * d.dim, (k + 1) * d.dim), i * d.dim);
      y[i] = d.y[k]!;
    });
    return { x, y, n: idx.length, dim: d.dim, classes: d.classes };
  };
  return { train: take(p.subarray(0, nTrain)), val: take(p.subarray(nTrain, nTrain + nVal)), test: take(p.subarray(nTrain + nVal)) };
}
