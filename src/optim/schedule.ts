/**
 * Learning-rate schedules. A schedule maps (step from 1, base lr) to the lr of that step;
 * reduce-on-plateau is driven by the validation metric once per epoch instead.
 */
export type ScheduleConfig =
  | { kind: 'constant' }
  /** "Attention is all you need": lr = base · min(step/warmup, sqrt(warmup/step)), peak `base` at step = warmup. With dModel set,
   *  base is the paper's factor: lr = base · dModel^-0.5 · min(step^-0.5, step · warmup^-1.5). */
  | { kind: 'warmup-inv-sqrt'; warmup: number; dModel?: number }
  | { kind: 'plateau'; factor?: number; patience?: number; minLr?: number; threshold?: number };

export const SCHEDULES = ['constant', 'warmup-inv-sqrt', 'plateau'] as const;

/** lr for a step-based schedule (plateau and constant return base). */
export function scheduledLr(c: ScheduleConfig, step: number, base: number): number {
  if (c.kind !== 'warmup-inv-sqrt') return base;
  if (!(c.warmup >= 1)) throw new Error(`warmup-inv-sqrt: warmup must be >= 1 step, got ${c.warmup}`);
  const s = Math.max(1, step);
  if (c.dModel) return base * c.dModel ** -0.5 * Math.min(s ** -0.5, s * c.warmup ** -1.5);
  return base * Math.min(s / c.warmup, Math.sqrt(c.warmup / s));
}

export interface PlateauState {
  best: number | null;
  bad: number;
  scale: number;
}

/** Multiply the lr by `factor` after `patience` epochs without a relative improvement > threshold. */
export class ReduceOnPlateau {
  state: PlateauState = { best: null, bad: 0, scale: 1 };
  private readonly factor: number;
  private readonly patience: number;
  private readonly minLr: number;
  private readonly threshold: number;

  constructor(c: { factor?: number; patience?: number; minLr?: number; threshold?: number }, private readonly higherIsBetter: boolean) {
    this.factor = c.factor ?? 0.5;
    this.patience = c.patience ?? 5;
    this.minLr = c.minLr ?? 0;
    this.threshold = c.threshold ?? 1e-4;
    if (!(this.factor > 0 && this.factor < 1)) throw new Error(`plateau: factor must be in (0, 1), got ${this.factor}`);
  }

  /** Record an epoch's validation metric; returns the lr multiplier from now on. */
  observe(metric: number, baseLr: number): number {
    const s = this.state;
    const better =
      s.best === null || (this.higherIsBetter ? metric > s.best * (s.best >= 0 ? 1 + this.threshold : 1 - this.threshold) : metric < s.best * (s.best >= 0 ? 1 - this.threshold : 1 + this.threshold));
    if (better) {
      s.best = metric;
      s.bad = 0;
    } else if (++s.bad > this.patience) {
      s.scale = Math.max(s.scale * this.factor, baseLr > 0 ? this.minLr / baseLr : 0);
      s.bad = 0;
    }
    return s.scale;
  }
}
