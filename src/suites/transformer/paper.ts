/**
 * The paper's Transformer settings (section 3.3, appendix B) and Table 5.
 *
 * Model: 6 layers, 8 heads, d 512, ffn 2048, context 128, dropout 0.1, post-LN, batch 64 chunks,
 * BPE 32,000 on WikiText-103, 20 epochs.
 *
 * Table 5 (best validation perplexity) and the shallow baseline of appendix B (428). "Baseline"
 * is the optimisation of "Attention is all you need": Adam (β 0.9/0.98, ε 1e-9) with warm-up +
 * inverse-sqrt (eq. 3: lr = d^-0.5 · min(t^-0.5, t · warmup^-1.5), d 512, 4000 warm-up steps, a
 * peak of 6.99e-4; we give it by its peak so it keeps the paper's rate when the model and the
 * warm-up are scaled down); "+ Adam" drops the schedule for a constant 5e-5; "+ β2 = 0.999";
 * "+ LR schedule" is reduce-on-plateau of the validation perplexity from 1e-4 (factor 0.2,
 * patience 1, PyTorch's relative threshold 1e-4). Each DFA column adds its change to the previous
 * one, as the paper's table reads. At CPU scale every rate (6.99e-4, 5e-5, 1e-4) is multiplied by
 * one `lrScale`, so the settings keep the paper's ratios.
 *
 * Table 5 names its rows 'bp', 'macro', 'micro', 'shallow' (LmMethod): macro and micro are the
 * method 'dfa' with the GPT's feedback points after every block or after every sub-layer.
 */
import type { Method } from '../../feedback';
import type { OptimizerConfig } from '../../optim';
import { scheduledLr, type ScheduleConfig } from '../../optim/schedule';
import type { GptConfig, Granularity } from './models/gpt';

/** The paper's model; its batch was 64 chunks of 128 tokens, its vocabulary 32,000 BPE tokens. */
export const PAPER_GPT: Omit<GptConfig, 'vocab'> = { ctx: 128, d: 512, layers: 6, heads: 8, ffn: 2048, dropout: 0.1, preLN: false };
export const PAPER_BATCH = 64;
export const PAPER_VOCAB = 32000;
export const PAPER_EPOCHS = 20;

/** The peak rate of the paper's warm-up schedule: d 512, 4000 warm-up steps -> 6.99e-4. */
export const PAPER_NOAM_PEAK = scheduledLr({ kind: 'warmup-inv-sqrt', warmup: 4000, dModel: 512 }, 4000, 1);

/** Table 5's row names. */
export type LmMethod = 'bp' | 'macro' | 'micro' | 'shallow';

/** A Table 5 row's method as the Feedback method and the model's point granularity. */
export function lmMethod(m: LmMethod): { method: Method; granularity: Granularity } {
  return m === 'macro' || m === 'micro' ? { method: 'dfa', granularity: m } : { method: m, granularity: 'macro' };
}

/** Adam and its learning-rate rule, as the core trainer takes them. */
export interface LmOptimization {
  optimizer: OptimizerConfig;
  schedule: ScheduleConfig;
}

/** How a run is scaled from the paper: one multiplier of every rate, and the warm-up in steps. */
export interface Scaling {
  lrScale: number;
  warmup: number;
}

export interface Table5Cell {
  id: string; // e.g. 'macro-adam'
  method: LmMethod;
  setting: 'baseline' | '+ Adam' | '+ β2 = 0.999' | '+ LR schedule';
  /** the paper's best validation perplexity */
  paper: number | null;
  optim(s: Scaling): LmOptimization;
}

const adamOf = (lr: number, beta2: number): OptimizerConfig => ({ name: 'adam', lr, beta1: 0.9, beta2, eps: 1e-9 });
const noam = (beta2: number) => (s: Scaling): LmOptimization => ({ optimizer: adamOf(PAPER_NOAM_PEAK * s.lrScale, beta2), schedule: { kind: 'warmup-inv-sqrt', warmup: s.warmup } });
const adam = (beta2: number) => (s: Scaling): LmOptimization => ({ optimizer: adamOf(5e-5 * s.lrScale, beta2), schedule: { kind: 'constant' } });
const plateau = (s: Scaling): LmOptimization => ({ optimizer: adamOf(1e-4 * s.lrScale, 0.999), schedule: { kind: 'plateau', factor: 0.2, patience: 1, threshold: 1e-4 } });

export const TABLE5: readonly Table5Cell[] = [
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

export const TABLE5_IDS: readonly string[] = TABLE5.map((c) => c.id);

/** Cells whose paper value needs a word: the micro plateau row is after 22 epochs, shallow from appendix B. */
export const TABLE5_NOTES: Readonly<Record<string, string>> = {
  'micro-plateau': 'paper value after 22 epochs',
  'shallow-baseline': 'paper value from appendix B',
};
