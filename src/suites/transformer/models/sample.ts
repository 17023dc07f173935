/**
 * Autoregressive sampling from a GPT: the last `ctx` tokens go in, the next token is drawn from
 * softmax(logits / temperature) restricted to the top-k (temperature 0 = greedy), with our Rng.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { GPT } from './gpt';

export interface SampleOptions {
  maxTokens: number;
  temperature: number;
  topK: number; // 0 = the whole vocabulary
  rng: Rng;
}

/** Draw one token id from logits (a plain array) per temperature and top-k. */
export function sampleToken(logits: ArrayLike<number>, temperature: number, topK: number, rng: Rng): number {
  const V = logits.length;
  let idx = Array.from({ length: V }, (_, i) => i);
  if (temperature <= 0) return idx.reduce((b, i) => (logits[i]! > logits[b]! ? i : b), 0);
  if (topK > 0 && topK < V) idx = idx.sort((a, b) => logits[b]! - logits[a]! || a - b).slice(0, topK);
  const mx = Math.max(...idx.map((i) => logits[i]!));
  const w = idx.map((i) => Math.exp((logits[i]! - mx) / temperature));
  const total = w.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  for (let j = 0; j < idx.length; j++) {
    u -= w[j]!;
    if (u < 0) return idx[j]!;
  }
  return idx[idx.length - 1]!;
}

export function generateTokens(model: GPT, prompt: Int32Array, opts: SampleOptions): Int32Array {
  const out = Array.from(prompt);
  if (out.length === 0) throw new Error('generate: the prompt must encode to at least one token');
  for (let i = 0; i < opts.maxTokens; i++) {
    const window = out.slice(-model.config.ctx);
    const last = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(Int32Array.from(window), [1, window.length], 'int32'));
      return tf.slice(logits, [window.length - 1, 0], [1, -1]).dataSync();
    });
    out.push(sampleToken(last, opts.temperature, opts.topK, opts.rng));
  }
  return Int32Array.from(out.slice(prompt.length));
}
