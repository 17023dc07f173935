/**
 * The learning-rate rules of Table 5:
 * - 'noam': warm-up then inverse square root ("Attention is all you need", eq. 3):
 *   lr(t) = d^-0.5 · min(t^-0.5, t · warmup^-1.5), t counted from 1, i.e. a peak of
 *   (d · warmup)^-0.5 at t = warmup; we parametrise it by its peak (paper: 6.99e-4), so the
 *   schedule keeps the paper's rate when the model and the warm-up are scaled down;
 * - 'constant': Adam alone;
 * - 'plateau': reduce-on-plateau of the validation perplexity (PyTorch's ReduceLROnPlateau,
 *   mode min, relative threshold 1e-4): after more than `patience` evaluations without
 *   improvement the rate is multiplied by `factor`.
 */
export type ScheduleKind = 'noam' | 'constant' | 'plateau';

export function noamLr(step: number, d: number, warmup: number, factor = 1): number {
  const t = Math.max(1, step);
  return factor * d ** -0.5 * Math.min(t ** -0.5, t * warmup ** -1.5);
}

/** The paper's peak rate of that schedule: d 512, 4000 warm-up steps -> 6.99e-4. */
export const PAPER_NOAM_PEAK = noamLr(4000, 512, 4000);

/** The same shape by its peak: peak · min(t / warmup, sqrt(warmup / t)). */
export function warmupInvSqrtLr(step: number, peak: number, warmup: number): number {
  const t = Math.max(1, step);
  return peak * Math.min(t / warmup, Math.sqrt(warmup / t));
}

export class ReduceLROnPlateau {
  private best = Infinity;
  private bad = 0;
  constructor(public lr: number, readonly factor = 0.2, readonly patience = 1, readonly threshold = 1e-4, readonly minLr = 0) {
    if (!(factor > 0 && factor < 1)) throw new Error(`reduce-on-plateau: factor must be in (0, 1), got ${factor}`);
  }

  /** Report a validation metric (lower is better); returns the learning rate to use next. */
  step(metric: number): number {
    if (metric < this.best * (1 - this.threshold)) {
      this.best = metric;
      this.bad = 0;
    } else if (++this.bad > this.patience) {
      this.lr = Math.max(this.minLr, this.lr * this.factor);
      this.bad = 0;
    }
    return this.lr;
  }
}
