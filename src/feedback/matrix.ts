/**
 * DFA's feedback matrix: ONE matrix B ~ U(-1, 1) of shape (outDim, maxWidth), shared by every
 * feedback point and sliced to its width, B_i = B[:, :width_i] (the paper's reference library,
 * TinyDFA, and ../shared/anchors do the same). Point i receives (e · B_i) · s_i.
 *
 * Scale s_i: 'widest' (default) = 1/sqrt(maxWidth) for every point, as TinyDFA and the PyTorch
 * anchors do, so our runs compare like for like with them and with the paper; 'layer' =
 * 1/sqrt(width_i). The two agree whenever all feedback points are as wide as B.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';

export type Scaling = 'layer' | 'widest';

export interface MatrixState {
  shape: [number, number];
  data: Float32Array;
}

export class FeedbackMatrix {
  readonly B: tf.Tensor2D;
  /** Scaled slices s_i · B[:, :w], one per width in use (kept; built on first use). */
  private slices = new Map<number, tf.Tensor2D>();

  constructor(readonly outDim: number, readonly maxWidth: number, readonly scaling: Scaling, source: Rng | Float32Array) {
    if (!Number.isInteger(outDim) || outDim < 1) throw new Error(`feedback matrix: output dimension must be a positive integer, got ${outDim}`);
    if (!Number.isInteger(maxWidth) || maxWidth < 1) throw new Error(`feedback matrix: maxWidth must be a positive integer, got ${maxWidth}`);
    const n = outDim * maxWidth;
    let data: Float32Array;
    if (source instanceof Float32Array) {
      if (source.length !== n) throw new Error(`feedback matrix: ${source.length} values given for shape [${outDim}, ${maxWidth}]`);
      data = source;
    } else {
      data = source.uniformArray(n, -1, 1);
    }
    this.B = tf.keep(tf.tensor2d(data, [outDim, maxWidth]));
  }

  scale(width: number): number {
    return 1 / Math.sqrt(this.scaling === 'widest' ? this.maxWidth : width);
  }

  /** s · B[:, :width], shape (outDim, width). Owned by this object: do not dispose. */
  slice(width: number, pointName = 'feedback point'): tf.Tensor2D {
    if (width > this.maxWidth) {
      throw new Error(
        `feedback point '${pointName}' has width ${width}, wider than the feedback matrix allows ` +
          `(${this.maxWidth} columns); create the Feedback with maxWidth >= ${width}`,
      );
    }
    let s = this.slices.get(width);
    if (!s) {
      const scale = this.scale(width);
      s = tf.keep(tf.tidy(() => tf.mul(tf.slice(this.B, [0, 0], [this.outDim, width]), scale) as tf.Tensor2D));
      this.slices.set(width, s);
    }
    return s;
  }

  getState(): MatrixState {
    return { shape: [this.outDim, this.maxWidth], data: this.B.dataSync() as Float32Array };
  }

  dispose(): void {
    this.B.dispose();
    for (const s of this.slices.values()) s.dispose();
    this.slices.clear();
  }
}
