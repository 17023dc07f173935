/**
 * The feedback API: train the same model code with BP, DFA, FA or shallow (see feedback.ts for
 * how DFA is computed lean on tfjs's tape).
 *
 * ```ts
 * const fb = new Feedback({ method: 'dfa', seed: 1 });       // scaling 'widest' by default
 * const loss = () => {
 *   let h = x;
 *   for (const l of hidden) h = fb.point(tf.tanh(fb.dense(h, l.W, l.b)));
 *   const out = fb.output(fb.dense(h, top.W, top.b));          // e = dL/d(out) is taken here
 *   return tf.losses.softmaxCrossEntropy(y, out) as tf.Scalar;
 * };
 * const { value, grads } = fb.grads(loss, vars);               // Map<Variable, Tensor>
 * const align = await fb.alignment(loss, vars);                // [{ name, mean, std, n }]
 * ```
 *
 * Differences from the first published contract: `grads` returns a Map keyed by variable (absent =
 * no update, e.g. hidden layers under shallow); alignment entries also carry `n`, the samples
 * counted; `dense` accepts W/b as any tensor; FA matrices are shaped like W^T ([out, in]).
 */
export { Feedback } from './feedback';
export type { FeedbackOptions, FeedbackState, GradsResult, MatrixAngle } from './feedback';
export { METHODS, DEMO_METHODS, METHOD_SUMMARY, parseMethod } from './methods';
export type { Method } from './methods';
export type { Scaling, MatrixState } from './matrix';
export { alignmentStat, angleDeg, cosines } from './alignment';
export type { AlignmentStat, AlignOver } from './alignment';
export { detach } from './tape';
