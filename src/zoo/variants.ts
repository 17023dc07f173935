/**
 * The zoo's rows: every training method, and under DFA each projection, 1-bit and 4-bit errors
 * and noise on the projected signal (the Feedback's signal options, src/feedback).
 */
import { METHODS, PROJECTIONS, type Method, type SignalOptions } from '../feedback';

export interface Variant {
  /** the row's id and label, e.g. 'usf', 'dfa/ternary', 'dfa/1-bit' */
  id: string;
  method: Method;
  feedback?: SignalOptions;
  summary: string;
}

const methods: Variant[] = METHODS.map((m) => ({ id: m, method: m, summary: m === 'dfa' ? 'dfa, dense U(-1, 1) projection' : m }));
const projections: Variant[] = PROJECTIONS.filter((p) => p !== 'dense').map((p) => ({
  id: `dfa/${p}`, method: 'dfa', feedback: { projection: p }, summary: `dfa, ${p} projection${p === 'sparse' ? ' (density 0.1)' : ''}`,
}));
const signal: Variant[] = [
  { id: 'dfa/1-bit', method: 'dfa', feedback: { errorBits: 1 }, summary: 'dfa, the error quantized to its sign (1 bit, a per-row scale)' },
  { id: 'dfa/4-bit', method: 'dfa', feedback: { errorBits: 4 }, summary: 'dfa, the error quantized to 4 bits' },
  { id: 'dfa/noise', method: 'dfa', feedback: { noise: 0.1 }, summary: 'dfa, Gaussian noise of 0.1 × RMS on the projected signal (20 dB)' },
];

/** bp first (the reference of the step times), then the methods of methods.ts, then the DFA variants. */
export const VARIANTS: readonly Variant[] = [...methods, ...projections, ...signal];
export const VARIANT_IDS: readonly string[] = VARIANTS.map((v) => v.id);

export function variant(id: string): Variant {
  const v = VARIANTS.find((x) => x.id === id);
  if (!v) throw new Error(`zoo: unknown row '${id}'; expected one of ${VARIANT_IDS.join(', ')}`);
  return v;
}
