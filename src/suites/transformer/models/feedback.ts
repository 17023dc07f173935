/**
 * The Feedback for a GPT (src/feedback: the one DFA engine). DFA's matrix is as the reference
 * (TinyDFA, ../shared/anchors/torch_transformer.py): B ~ U(-1, 1) of shape (error dim, F), F the
 * widest point (d for macro; max(d, ffn) for micro), scaled by 1/sqrt(F), shared by every token;
 * the error is taken before the vocabulary projection (error dim d) or after it (vocab).
 */
import { Rng } from '../../../engine/rng';
import { Feedback, type Method, type SignalOptions } from '../../../feedback';
import type { ErrorAt, GptConfig, Granularity } from './gpt';

/** drtp projects the target, a token class: it has one only where the error is taken at the logits. */
export const DRTP_BEFORE = "drtp is undefined with the error taken before the vocabulary projection (errorAt 'before'): it projects the target, a token's class, which exists only at the logits; take the error after the projection (errorAt 'after', --error-at after)";

/**
 * `rng`: the run's feedback stream; the DFA matrix is drawn from rng.fork('feedback-matrix'),
 * where every Table 5 run so far drew it. drtp needs the error at the logits (errorAt 'after').
 */
export function gptFeedback(method: Method, granularity: Granularity, config: Pick<GptConfig, 'd' | 'ffn' | 'vocab'>, errorAt: ErrorAt = 'before', rng: Rng | number = 0, signal: SignalOptions = {}): Feedback {
  if (method === 'drtp' && errorAt !== 'after') throw new Error(DRTP_BEFORE);
  const r = typeof rng === 'number' ? new Rng(rng) : rng;
  const outDim = errorAt === 'after' ? config.vocab : config.d;
  const maxWidth = granularity === 'micro' ? Math.max(config.d, config.ffn) : config.d;
  return new Feedback({ method, rng: r, maxWidth, outDim, scaling: 'widest', dfaRng: r.fork('feedback-matrix'), ...signal });
}
