/**
 * The feedback API: train the same model code with every method of methods.ts (bp; dfa, drtp;
 * fa, usf, brsf, frsf; shallow), the direct methods through any projection of projection.ts (see
 * feedback.ts for how DFA is computed lean on tfjs's tape).
 *
 * ```ts
 * const fb = new Feedback({ method: 'dfa', seed: 1 });       // scaling 'widest', projection 'dense' by default
 * const loss = () => {
 *   let h = x;
 *   for (const l of hidden) h = fb.point(tf.tanh(fb.dense(h, l.W, l.b)));
 *   const out = fb.output(fb.dense(h, top.W, top.b));          // e = dL/d(out) is taken here
 *   fb.target(y);                                              // drtp projects it (a no-op otherwise)
 *   return tf.losses.softmaxCrossEntropy(y, out) as tf.Scalar;
 * };
 * const { value, grads } = fb.grads(loss, vars);               // Map<Variable, Tensor>
 * const align = await fb.alignment(loss, vars);                // [{ name, mean, std, n }]
 * ```
 * A convolution goes through `fb.conv2d(x, W, b, { strides, pad }, name)` (nn's `Conv2d.apply(x,
 * act, fb)`): the layer-wise methods then send its input conv2d-backprop-input(dy, B_l), B_l a
 * kernel shaped like W.
 *
 * Differences from the first published contract: `grads` returns a Map keyed by variable (absent =
 * no update, e.g. hidden layers under shallow); alignment entries also carry `n`, the samples
 * counted; `dense` accepts W/b as any tensor; FA matrices are shaped like W^T ([out, in]).
 */
export { Feedback } from './feedback';
export type { FeedbackOptions, FeedbackState, GradsResult, MatrixAngle, OutputOptions, SignalOptions } from './feedback';
export { BASE_METHODS, METHOD_FAMILY, METHODS, METHOD_SUMMARY, isDirect, isLayerwise, parseMethod } from './methods';
export type { DirectMethod, Family, LayerwiseMethod, Method } from './methods';
export { DEFAULT_DENSITY, PROJECTION_SUMMARY, PROJECTIONS, parseProjection, projectionConfig } from './projection';
export type { MatrixState, Projection, ProjectionConfig, ProjectionKind, Scaling } from './projection';
export { ERROR_BITS } from './signal_path';
export type { ErrorBits } from './signal_path';
export type { ConvGeometry } from './conv';
export type { LayerMatrixState } from './layerwise';
export { alignmentStat, angleDeg, cosines } from './alignment';
export type { AlignmentStat, AlignOver } from './alignment';
export { detach } from './tape';
