/**
 * The optimisation grid of Table 5 (best validation perplexity after 20 epochs on WikiText-103,
 * BPE 32k, 6 layers / 8 heads / d 512 / ffn 2048, 128 × 64 tokens per batch) and the shallow
 * baseline of appendix B (428). "Baseline" is the optimisation of "Attention is all you need":
 * Adam (β 0.9/0.98, ε 1e-9) with warm-up + inverse-sqrt; "+ Adam" drops the schedule for a
 * constant 5e-5; "+ β2 = 0.999"; "+ LR schedule" is reduce-on-plateau from 1e-4 (factor 0.2,
 * patience 1). Each DFA column adds its change to the previous one, as the paper's table reads.
 * At CPU scale every rate (the schedule's peak 6.99e-4, 5e-5, 1e-4) is multiplied by one
 * `lrScale`, so the settings keep the paper's ratios.
 */
import type { LmMethod } from './models/feedback';
import type { LmOptimConfig } from './experiments/lm_task';
import { PAPER_NOAM_PEAK } from '../../experiments/transformer/schedules';

export interface Table5Cell {
  id: string; // e.g. 'macro-adam'
  method: LmMethod;
  setting: 'baseline' | '+ Adam' | '+ β2 = 0.999' | '+ LR schedule';
  paper: number | null;
  optim: (o: { lrScale: number; warmup: number; clip: number }) => LmOptimConfig;
}

const base = { beta1: 0.9, eps: 1e-9, plateauFactor: 0.2, plateauPatience: 1 };
const noam = (beta2: number) => (o: { lrScale: number; warmup: number; clip: number }): LmOptimConfig => ({ ...base, beta2, lr: PAPER_NOAM_PEAK * o.lrScale, schedule: 'noam', warmup: o.warmup, clip: o.clip });
const adam = (beta2: number) => (o: { lrScale: number; warmup: number; clip: number }): LmOptimConfig => ({ ...base, beta2, lr: 5e-5 * o.lrScale, schedule: 'constant', warmup: o.warmup, clip: o.clip });
const plateau = (o: { lrScale: number; warmup: number; clip: number }): LmOptimConfig => ({ ...base, beta2: 0.999, lr: 1e-4 * o.lrScale, schedule: 'plateau', warmup: o.warmup, clip: o.clip });

export const TABLE5: Table5Cell[] = [
  { id: 'bp-baseline', method: 'bp', setting: 'baseline', paper: 34.4, optim: noam(0.98) },
  { id: 'bp-beta2', method: 'bp', setting: '+ β2 = 0.999', paper: 29.8, optim: noam(0.999) },
  { id: 'macro-baseline', method: 'macro', setting: 'baseline', paper: 95.0, optim: noam(0.98) },
  { id: 'macro-adam', method: 'macro', setting: '+ Adam', paper: 77.1, optim: adam(0.98) },
  { id: 'macro-beta2', method: 'macro', setting: '+ β2 = 0.999', paper: 55.0, optim: adam(0.999) },
  { id: 'macro-plateau', method: 'macro', setting: '+ LR schedule', paper: 52.0, optim: plateau },
  { id: 'micro-baseline', method: 'micro', setting: 'baseline', paper: 182, optim: noam(0.98) },
  { id: 'micro-adam', method: 'micro', setting: '+ Adam', paper: 166, optim: adam(0.98) },
  { id: 'micro-beta2', method: 'micro', setting: '+ β2 = 0.999', paper: 99.9, optim: adam(0.999) },
  { id: 'micro-plateau', method: 'micro', setting: '+ LR schedule', paper: 93.3, optim: plateau },
  { id: 'shallow-baseline', method: 'shallow', setting: 'baseline', paper: 428, optim: noam(0.98) },
];
