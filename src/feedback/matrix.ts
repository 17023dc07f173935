/**
 * A direct method's stored feedback matrix: ONE matrix B of shape (outDim, maxWidth), shared by
 * every feedback point and sliced to its width, B_i = B[:, :width_i] (the paper's reference
 * library, TinyDFA, and ../shared/anchors do the same). Point i receives (v · B_i) · g · s_i; the
 * entries and the gain g come from the projection kind (projection.ts; default dense U(−1, 1), g = 1).
 *
 * Scale s_i: 'widest' (default) = 1/sqrt(maxWidth) for every point, as TinyDFA and the PyTorch
 * anchors do, so our runs compare like for like with them and with the paper; 'layer' =
 * 1/sqrt(width_i). The two agree whenever all feedback points are as wide as B.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { DENSE, drawMatrix, type MatrixState, type Projection, type ProjectionConfig, projectionGain, type Scaling, tooWide } from './projection';

export type { MatrixState, Scaling } from './projection';

export class FeedbackMatrix implements Projection {
  readonly B: tf.Tensor2D;
  private readonly gain: number;
  /** Scaled slices g · s_i · B[:, :w], one per width in use (kept; built on first use). */
  private slices = new Map<number, tf.Tensor2D>();

  constructor(readonly outDim: number, readonly maxWidth: number, readonly scaling: Scaling, source: Rng | Float32Array, readonly spec: ProjectionConfig = DENSE) {
    if (!Number.isInteger(outDim) || outDim < 1) throw new Error(`feedback matrix: output dimension must be a positive integer, got ${outDim}`);
    if (!Number.isInteger(maxWidth) || maxWidth < 1) throw new Error(`feedback matrix: maxWidth must be a positive integer, got ${maxWidth}`);
    if (this.spec.kind === 'structured') throw new Error('feedback matrix: the structured projection stores no matrix; use StructuredProjection');
    this.gain = projectionGain(this.spec);
    const n = outDim * maxWidth;
    let data: Float32Array;
    if (source instanceof Float32Array) {
      if (source.length !== n) throw new Error(`feedback matrix: ${source.length} values given for shape [${outDim}, ${maxWidth}]`);
      data = source;
    } else {
      data = drawMatrix(this.spec, n, source);
    }
    this.B = tf.keep(tf.tensor2d(data, [outDim, maxWidth]));
  }

  scale(width: number): number {
    return this.gain / Math.sqrt(this.scaling === 'widest' ? this.maxWidth : width);
  }

  /** g · s · B[:, :width], shape (outDim, width). Owned by this object: do not dispose. */
  slice(width: number, pointName = 'feedback point'): tf.Tensor2D {
    if (width > this.maxWidth) throw tooWide(pointName, width, this.maxWidth);
    let s = this.slices.get(width);
    if (!s) {
      const scale = this.scale(width);
      s = tf.keep(tf.tidy(() => tf.mul(tf.slice(this.B, [0, 0], [this.outDim, width]), scale) as tf.Tensor2D));
      this.slices.set(width, s);
    }
    return s;
  }

  project(v: tf.Tensor2D, width: number, pointName?: string): tf.Tensor2D {
    return tf.matMul(v, this.slice(width, pointName));
  }

  getState(): MatrixState {
    const st: MatrixState = { shape: [this.outDim, this.maxWidth], data: this.B.dataSync() as Float32Array };
    if (this.spec.kind !== 'dense') st.projection = this.spec.kind;
    if (this.spec.density !== undefined) st.density = this.spec.density;
    return st;
  }

  dispose(): void {
    this.B.dispose();
    for (const s of this.slices.values()) s.dispose();
    this.slices.clear();
  }
}
