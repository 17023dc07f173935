/**
 * Binary log loss (cross-entropy), mean over samples, probabilities clipped to [eps, 1 - eps]
 * as sklearn's `log_loss` does so that a confident wrong prediction costs a large finite amount.
 */
export function logLoss(labels: ArrayLike<number>, probs: ArrayLike<number>, eps = 1e-15): number {
  const n = labels.length;
  if (probs.length !== n) throw new Error(`logLoss: ${n} labels but ${probs.length} probabilities`);
  if (n === 0) throw new Error('logLoss: no samples');
  let s = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    const p0 = probs[i]!;
    if (y !== 0 && y !== 1) throw new Error(`logLoss: label ${i} is ${y}; labels must be 0 or 1`);
    if (!(p0 >= 0 && p0 <= 1)) throw new Error(`logLoss: probability ${i} is ${p0}, outside [0, 1]`);
    const p = Math.min(Math.max(p0, eps), 1 - eps);
    s -= y === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / n;
}
