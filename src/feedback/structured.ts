/**
 * The structured projection: a random projection with no stored matrix, for widths where a dense
 * B (outDim × width floats) costs memory. With n = the next power of two ≥ max(outDim, maxWidth),
 * H the n × n Walsh–Hadamard matrix (entries ±1, Sylvester order) and D₁, D₂, D₃ diagonal matrices
 * of random signs, a row v (length outDim, zero-padded to n) is sent to
 *
 *     v ↦ (v · D₁ H D₂ H D₃ H)[:width] / n,
 *
 * i.e. B = (D₁ H D₂ H D₃ H / n)[:outDim, :maxWidth] = √n · T with T = D₁ Ĥ D₂ Ĥ D₃ Ĥ orthogonal
 * (Ĥ = H/√n): entries of mean 0 and variance 1, rows orthogonal. Three H·D blocks, as in
 * structured orthogonal random features (Yu et al. 2016): with one block and few outputs the
 * columns would repeat (H's first rows restricted to outDim < n columns are periodic).
 * Time O(rows · n log n) by the fast Walsh–Hadamard transform (the first of the three on the
 * outDim-long block only); memory 3n signs plus a rows × n work buffer. Computed on the host (a JS loop over the values), so it runs on every backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import { type MatrixState, type Projection, type ProjectionConfig, projectionGain, type Scaling, tooWide } from './projection';

export function nextPow2(x: number): number {
  let n = 1;
  while (n < x) n *= 2;
  return n;
}

/** In-place unnormalised fast Walsh–Hadamard transform of x[off, off + n) (n a power of two). */
export function fwht(x: Float32Array, off: number, n: number): void {
  for (let h = 1; h < n; h *= 2) {
    for (let i = off; i < off + n; i += 2 * h) {
      for (let j = i; j < i + h; j++) {
        const a = x[j]!, b = x[j + h]!;
        x[j] = a + b;
        x[j + h] = a - b;
      }
    }
  }
}

export class StructuredProjection implements Projection {
  readonly spec: ProjectionConfig = { kind: 'structured' };
  /** the transform length, a power of two ≥ max(outDim, maxWidth) */
  readonly n: number;
  /** D₁, D₂, D₃ one after the other (3n values, each ±1) */
  readonly signs: Float32Array;
  private readonly gain = projectionGain(this.spec);
  private dense: tf.Tensor2D | null = null;

  constructor(readonly outDim: number, readonly maxWidth: number, readonly scaling: Scaling, source: Rng | Float32Array) {
    if (!Number.isInteger(outDim) || outDim < 1) throw new Error(`structured projection: output dimension must be a positive integer, got ${outDim}`);
    if (!Number.isInteger(maxWidth) || maxWidth < 1) throw new Error(`structured projection: maxWidth must be a positive integer, got ${maxWidth}`);
    this.n = nextPow2(Math.max(outDim, maxWidth));
    if (source instanceof Float32Array) {
      if (source.length !== 3 * this.n || source.some((s) => s !== 1 && s !== -1)) {
        throw new Error(`structured projection: expected ${3 * this.n} signs (±1) for shape [${outDim}, ${maxWidth}], got ${source.length} values`);
      }
      this.signs = source;
    } else {
      this.signs = new Float32Array(3 * this.n);
      for (let i = 0; i < this.signs.length; i++) this.signs[i] = source.next() < 0.5 ? -1 : 1;
    }
  }

  scale(width: number): number {
    return this.gain / Math.sqrt(this.scaling === 'widest' ? this.maxWidth : width);
  }

  project(v: tf.Tensor2D, width: number, pointName = 'feedback point'): tf.Tensor2D {
    if (width > this.maxWidth) throw tooWide(pointName, width, this.maxWidth);
    if (v.shape[1] !== this.outDim) throw new Error(`structured projection: rows have ${v.shape[1]} values, the projection takes ${this.outDim}`);
    const rows = v.shape[0];
    return tf.tensor2d(this.apply(v.dataSync() as Float32Array, rows, width, this.scale(width) / this.n), [rows, width]);
  }

  /** The transform on `rows` host rows of length outDim: the first `width` outputs of each, times c. */
  apply(v: Float32Array, rows: number, width: number, c: number): Float32Array {
    const { n, outDim, signs } = this;
    // The first transform sees only outDim nonzeros: with m = nextPow2(outDim), H_n = H_{n/m} ⊗ H_m
    // sends (u, 0, ..., 0) to (H_m u) repeated n/m times (the skipped levels would add zeros: exact).
    const m = nextPow2(outDim);
    const buf = new Float32Array(rows * n);
    for (let r = 0; r < rows; r++) {
      const o = r * n;
      for (let i = 0; i < outDim; i++) buf[o + i] = v[r * outDim + i]! * signs[i]!;
      fwht(buf, o, m);
      for (let t = m; t < n; t += m) buf.copyWithin(o + t, o, o + m);
      for (let i = 0; i < n; i++) buf[o + i] = buf[o + i]! * signs[n + i]!;
      fwht(buf, o, n);
      for (let i = 0; i < n; i++) buf[o + i] = buf[o + i]! * signs[2 * n + i]!;
      fwht(buf, o, n);
    }
    const out = new Float32Array(rows * width);
    for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) out[r * width + j] = buf[r * n + j]! * c;
    return out;
  }

  /** The dense equivalent [outDim, maxWidth] (the identity's rows through the transform), built on first use. */
  get B(): tf.Tensor2D {
    if (!this.dense) {
      const eye = new Float32Array(this.outDim * this.outDim);
      for (let i = 0; i < this.outDim; i++) eye[i * this.outDim + i] = 1;
      this.dense = tf.keep(tf.tensor2d(this.apply(eye, this.outDim, this.maxWidth, 1 / this.n), [this.outDim, this.maxWidth]));
    }
    return this.dense;
  }

  getState(): MatrixState {
    return { shape: [this.outDim, this.maxWidth], data: this.signs, projection: 'structured' };
  }

  dispose(): void {
    this.dense?.dispose();
    this.dense = null;
  }
}
