/**
 * Volume rendering (nerf's `raw2outputs`), differentiable in the raw network outputs: per sample,
 * σ = relu(raw_σ + noise), α = 1 - exp(-σ·δ) with δ the gap to the next depth (1e10 after the
 * last) times |d|; transmittance T_i = exp(-Σ_{j<i} σ_j δ_j) = Π_{j<i}(1 - α_j); weights w = T·α;
 * colour = Σ w·sigmoid(raw_rgb) (+ (1 - Σw) on a white background). The renderer has no weights:
 * under DFA its gradient is what carries the loss to the networks' raw outputs.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';

const SEL_RGB = () => tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0], [4, 3]);
const SEL_SIGMA = () => tf.tensor2d([0, 0, 0, 1], [4, 1]);

export interface RenderOutputs {
  rgb: tf.Tensor2D; // [R, 3]
  weights: tf.Tensor2D; // [R, S]
  acc: tf.Tensor1D; // [R] = Σ w = 1 - T_final
  depth: tf.Tensor1D; // [R]
}

/** δ per sample: z gaps scaled by the ray direction's length; the last sample's gap is 1e10. */
export function sampleDeltas(z: Float32Array, nRays: number, dirs: Float32Array): Float32Array {
  const ns = z.length / nRays;
  const out = new Float32Array(z.length);
  for (let r = 0; r < nRays; r++) {
    const norm = Math.hypot(dirs[r * 3]!, dirs[r * 3 + 1]!, dirs[r * 3 + 2]!);
    for (let s = 0; s < ns; s++) {
      const k = r * ns + s;
      out[k] = (s === ns - 1 ? 1e10 : z[k + 1]! - z[k]!) * norm;
    }
  }
  return out;
}

/**
 * raw: [R*S, 4] (rgb logits, density logit) in ray-major order; z: [R*S] depths; dirs: [R*3]
 * ray directions (for δ). `noiseStd` > 0 adds N(0, std²) to the raw density (training only, from `rng`).
 */
export function volumeRender(raw: tf.Tensor2D, z: Float32Array, dirs: Float32Array, nRays: number, opts: { whiteBackground: boolean; noiseStd?: number; rng?: Rng }): RenderOutputs {
  const ns = z.length / nRays;
  if (!Number.isInteger(ns) || raw.shape[0] !== z.length || raw.shape[1] !== 4) {
    throw new Error(`volumeRender: raw ${JSON.stringify(raw.shape)} does not match ${nRays} rays × ${ns} samples × 4`);
  }
  return tf.tidy(() => {
    const delta = tf.tensor2d(sampleDeltas(z, nRays, dirs), [nRays, ns]);
    // Channel selection as tiny matmuls: their gradients are matmuls too (tfjs cpu's Slice
    // gradient, a Pad, is far slower on hundreds of thousands of rows).
    const rgb = tf.sigmoid(tf.matMul(raw, SEL_RGB())).reshape([nRays, ns, 3]);
    let sigmaRaw = tf.matMul(raw, SEL_SIGMA()).reshape([nRays, ns]);
    const std = opts.noiseStd ?? 0;
    if (std > 0) {
      if (!opts.rng) throw new Error('volumeRender: noiseStd > 0 needs an rng');
      sigmaRaw = tf.add(sigmaRaw, tf.tensor2d(opts.rng.normalArray(nRays * ns, 0, std), [nRays, ns]));
    }
    const tau = tf.mul(tf.relu(sigmaRaw), delta); // σ·δ = -log(1 - α)
    const alpha = tf.sub(1, tf.exp(tf.neg(tau)));
    const trans = tf.exp(tf.neg(tf.cumsum(tau, 1, true))); // exclusive: T_0 = 1
    const weights = tf.mul(alpha, trans) as tf.Tensor2D;
    let rgbMap = tf.sum(tf.mul(tf.expandDims(weights, 2), rgb), 1) as tf.Tensor2D;
    const acc = tf.sum(weights, 1) as tf.Tensor1D;
    if (opts.whiteBackground) rgbMap = tf.add(rgbMap, tf.expandDims(tf.sub(1, acc), 1));
    const depth = tf.sum(tf.mul(weights, tf.tensor2d(z, [nRays, ns])), 1) as tf.Tensor1D;
    return { rgb: rgbMap, weights, acc, depth };
  });
}

export function mse(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.square(tf.sub(a, b)));
}

/** PSNR in dB of an MSE on [0, 1] images: -10·log10(mse). */
export function psnrFromMse(m: number): number {
  return -10 * Math.log10(Math.max(m, 1e-12));
}
