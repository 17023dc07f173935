/**
 * The composite layer norm and batch norm ran before they had kernels, and its gradient as tfjs's
 * autodiff computed it. Both normalise x over `axis` with the statistics of tf.moments (Mean, Cast,
 * Reshape, Sub, Square, Mean), then y = (x − mean) ∘ s · gamma + beta with s = rsqrt(var + eps)
 * multiplied (layer norm) or s = sqrt(var + eps) divided (batch norm).
 */
import * as tf from '@tensorflow/tfjs';
import { tapeStep } from './kernel';

export interface NormSpec {
  /** the reduced axis: last (layer norm) or 0 (batch norm) */
  axis: number;
  keepDims: boolean;
  /** batch norm divides by sqrt(var + eps); layer norm multiplies by rsqrt(var + eps) */
  divide: boolean;
}

const keptShape = (x: tf.Tensor, axis: number) => x.shape.map((d, i) => (i === axis ? 1 : d));

/** The forward, op for op: y, and the statistics it keeps (mean as tf.moments returns it, variance, s). */
export function normForward(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number, spec: NormSpec) {
  const { mean, variance } = tf.moments(x, spec.axis, spec.keepDims);
  const s = spec.divide ? tf.sqrt(tf.add(variance, eps)) : tf.rsqrt(tf.add(variance, eps));
  const centred = tf.sub(x, mean);
  const y = tf.add(tf.mul(spec.divide ? tf.div(centred, s) : tf.mul(centred, s), gamma), beta);
  return { y, mean, variance, s };
}

/**
 * [dx, dgamma, dbeta]: tfjs's autodiff of normForward, replayed node by node from the last, given
 * the forward's mean (the shape tf.moments returns) and either its variance (batch norm) or its s
 * (layer norm). The tensors the gradients read are rebuilt with the forward's own ops, so they are
 * the forward's values bit for bit; the others only lend their shapes.
 */
export function normBackward(dy: tf.Tensor, x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number, spec: NormSpec, stats: { mean: tf.Tensor; variance?: tf.Tensor; s?: tf.Tensor }): tf.Tensor[] {
  const meanAttrs = { axis: [spec.axis], keepDims: spec.keepDims };
  const { mean } = stats;
  const meanKept = tf.reshape(mean, keptShape(x, spec.axis));
  const centred = tf.sub(x, mean); // also tf.moments' x − meanKept: the same numbers
  const variance = stats.variance ?? tf.mean(tf.square(centred), meanAttrs.axis, spec.keepDims);
  const epsT = tf.scalar(eps);
  const shifted = tf.add(variance, epsT);
  const s = stats.s ?? (spec.divide ? tf.sqrt(shifted) : tf.rsqrt(shifted));
  const normed = spec.divide ? tf.div(centred, s) : tf.mul(centred, s);

  let g = tapeStep('Add', dy, [normed, beta]); // y = scaled + beta (scaled has normed's shape)
  const dScaled = g.a!(), dBeta = g.b!();
  g = tapeStep('Multiply', dScaled, [normed, gamma]); // scaled = normed · gamma
  const dNormed = g.a!(), dGamma = g.b!();
  g = tapeStep(spec.divide ? 'RealDiv' : 'Multiply', dNormed, [centred, s]); // normed = centred ∘ s
  const dCentred = g.a!(), dS = g.b!();
  const dShifted = tapeStep(spec.divide ? 'Sqrt' : 'Rsqrt', dS, [shifted]).x!(); // s = (r)sqrt(shifted)
  const dVariance = tapeStep('Add', dShifted, [variance, epsT]).a!(); // shifted = variance + eps
  g = tapeStep('Sub', dCentred, [x, mean]); // centred = x − mean
  let dx = g.a!(), dMean = g.b!();
  const dSq = tapeStep('Mean', dVariance, [x], meanAttrs).x!(); // variance = mean(sq), sq like x
  const dDev = tapeStep('Square', dSq, [centred]).x!(); // sq = dev², dev = cast − meanKept
  g = tapeStep('Sub', dDev, [x, meanKept]);
  const dCast = g.a!(), dMeanKept = g.b!();
  dMean = tf.add(dMean, tapeStep('Reshape', dMeanKept, [mean]).x!()); // meanKept = reshape(mean)
  dx = tf.add(dx, tapeStep('Cast', dCast, [x]).x!()); // cast = float32(x)
  dx = tf.add(dx, tapeStep('Mean', dMean, [x], meanAttrs).x!()); // mean = mean(x)
  return [dx, dGamma, dBeta];
}
