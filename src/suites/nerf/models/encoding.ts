/**
 * NeRF's positional encoding: γ(x) = [x, sin(2^0 x), cos(2^0 x), ..., sin(2^{L-1} x), cos(2^{L-1} x)]
 * applied per coordinate, frequency-major as nerf's `Embedder` (include_input, log sampling, no π).
 * Output width d·(1 + 2L): 63 for positions (L = 10), 27 for directions (L = 4).
 */
import * as tf from '@tensorflow/tfjs';

export function encodedWidth(inputDims: number, numFreqs: number, includeInput = true): number {
  return inputDims * (2 * numFreqs + (includeInput ? 1 : 0));
}

/** x: [N, d] → [N, d·(1 + 2L)]. */
export function positionalEncoding(x: tf.Tensor2D, numFreqs: number, includeInput = true): tf.Tensor2D {
  return tf.tidy(() => {
    const d = x.shape[1];
    if (numFreqs === 0) return includeInput ? x.clone() : tf.zeros([x.shape[0], 0]);
    // Column k*d + c of the scaled input is 2^k · x_c; one sin and one cos over all of them.
    const freqs = new Float32Array(numFreqs * d);
    for (let k = 0; k < numFreqs; k++) for (let c = 0; c < d; c++) freqs[k * d + c] = 2 ** k;
    const scaled = tf.mul(tf.tile(x, [1, numFreqs]), tf.tensor2d(freqs, [1, numFreqs * d]));
    const s = tf.sin(scaled).reshape([-1, numFreqs, 1, d]);
    const c = tf.cos(scaled).reshape([-1, numFreqs, 1, d]);
    const sc = tf.concat([s, c], 2).reshape([-1, 2 * numFreqs * d]);
    return (includeInput ? tf.concat([x, sc], 1) : sc) as tf.Tensor2D;
  });
}

/**
 * The same encoding on a flat [N*d] typed array, in plain loops: the encoded inputs are data (no
 * gradient), and this avoids tfjs cpu's slow Tile/Concat kernels on hundreds of thousands of points.
 */
export function positionalEncodingArray(x: Float32Array, d: number, numFreqs: number, includeInput = true): Float32Array {
  const n = x.length / d;
  const w = encodedWidth(d, numFreqs, includeInput);
  const out = new Float32Array(n * w);
  for (let i = 0; i < n; i++) {
    let o = i * w;
    const xi = i * d;
    if (includeInput) for (let c = 0; c < d; c++) out[o++] = x[xi + c]!;
    let f = 1;
    for (let k = 0; k < numFreqs; k++, f *= 2) {
      for (let c = 0; c < d; c++) out[o + c] = Math.sin(f * x[xi + c]!);
      for (let c = 0; c < d; c++) out[o + d + c] = Math.cos(f * x[xi + c]!);
      o += 2 * d;
    }
  }
  return out;
}
