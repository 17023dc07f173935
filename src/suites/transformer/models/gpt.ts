/**
 * Decoder-only Transformer language model (the paper's "encoder with masked tokens", GPT setup):
 * token + learned position embeddings with dropout, L blocks of causal multi-head self-attention
 * and a ReLU feed-forward network, each sub-layer with residual, dropout and layer norm (post-LN
 * as in "Attention is all you need" by default, pre-LN + a final LN as an option), then an untied
 * vocabulary projection. Paper size: 6 layers, 8 heads, d 512, ffn 2048, context 128, dropout 0.1.
 *
 * Feedback points (DFA): `forward` calls `fb.point(h, name)` and continues with what it returns
 * (a detached copy under DFA/shallow) and `fb.output(h)` where the global error is taken:
 * - macro: after every block ('block{i}.out'), L points;
 * - micro: after every sub-layer: the attention sub-layer output ('block{i}.attn'), the
 *   feed-forward activation after ReLU + dropout ('block{i}.ffn', width ffn) and the block
 *   output ('block{i}.out'), 3L points;
 * - dfaEmbed adds one point on the embeddings ('embed'); by default the embeddings learn by
 *   backprop through block 0's first segment.
 * The error is taken before the vocabulary projection (errorAt 'before', the reference default)
 * or after it ('after', on the logits). Every linear layer (the attention projections, the
 * feed-forward layers, the vocabulary projection) is the core feedback-aware `linear`, named
 * after its weight, so FA trains the GPT too.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { Feedback } from '../../../feedback';
import { causalSelfAttention } from '../../../nn/attention';
import { dropout } from '../../../nn/dropout';
import { layerNorm } from '../../../nn/layer_norm';
import { linear } from '../../../nn/linear';

export interface GptConfig {
  vocab: number;
  ctx: number; // context length (max positions)
  d: number;
  layers: number;
  heads: number;
  ffn: number;
  dropout: number;
  preLN: boolean;
}

export type Granularity = 'macro' | 'micro';
export type ErrorAt = 'before' | 'after';

/** Only the point/output markers of a Feedback (probes in tests); the linear layers then run plainly. */
export type FeedbackMarkers = Pick<Feedback, 'point' | 'output'>;

export interface ForwardOptions {
  /**
   * The training pass's Feedback: points after each block or sub-layer, the error where errorAt
   * says, and the linear layers FA treats. None = plain forward.
   */
  fb?: Feedback | FeedbackMarkers;
  granularity?: Granularity; // default macro
  dfaEmbed?: boolean; // default false: embeddings by BP through block 0
  errorAt?: ErrorAt; // default before
  rng?: Rng | null; // dropout randomness; null/absent = evaluation (no dropout)
}

/** The feedback points `forward` places, in order. */
export function feedbackPointNames(layers: number, granularity: Granularity, dfaEmbed = false): string[] {
  const names = dfaEmbed ? ['embed'] : [];
  for (let i = 0; i < layers; i++) {
    if (granularity === 'micro') names.push(`block${i}.attn`, `block${i}.ffn`);
    names.push(`block${i}.out`);
  }
  return names;
}

export function validateConfig(c: GptConfig): void {
  for (const k of ['vocab', 'ctx', 'd', 'layers', 'heads', 'ffn'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`GPT config: ${k} must be a positive integer, got ${c[k]}`);
  }
  if (c.d % c.heads !== 0) throw new Error(`GPT config: d ${c.d} is not divisible by heads ${c.heads}`);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new Error(`GPT config: dropout must be in [0, 1), got ${c.dropout}`);
}

export class GPT {
  readonly params = new Map<string, tf.Variable>();

  constructor(readonly config: GptConfig, seed: number | Rng = 0) {
    validateConfig(config);
    const rng = typeof seed === 'number' ? new Rng(seed).fork('gpt-init') : seed.fork('gpt-init');
    const { vocab, ctx, d, layers, ffn } = config;
    // PyTorch defaults, like the reference: Embedding N(0, 1), Linear U(+-1/sqrt(fan_in)), LN 1/0
    const normal = (name: string, shape: number[]) => this.add(name, tf.tensor(rng.fork(name).normalArray(shape.reduce((a, b) => a * b)), shape));
    const uniform = (name: string, shape: number[], fanIn: number) => {
      const b = 1 / Math.sqrt(fanIn);
      this.add(name, tf.tensor(rng.fork(name).uniformArray(shape.reduce((a, c) => a * c), -b, b), shape));
    };
    const constant = (name: string, shape: number[], v: number) => this.add(name, tf.fill(shape, v));
    normal('tok_emb', [vocab, d]);
    normal('pos_emb', [ctx, d]);
    for (let i = 0; i < layers; i++) {
      const p = `block${i}.`;
      uniform(p + 'attn.wqkv', [d, 3 * d], d);
      uniform(p + 'attn.bqkv', [3 * d], d);
      uniform(p + 'attn.wo', [d, d], d);
      uniform(p + 'attn.bo', [d], d);
      constant(p + 'ln1.g', [d], 1);
      constant(p + 'ln1.b', [d], 0);
      uniform(p + 'ffn.w1', [d, ffn], d);
      uniform(p + 'ffn.b1', [ffn], d);
      uniform(p + 'ffn.w2', [ffn, d], ffn);
      uniform(p + 'ffn.b2', [d], ffn);
      constant(p + 'ln2.g', [d], 1);
      constant(p + 'ln2.b', [d], 0);
    }
    if (config.preLN) {
      constant('ln_f.g', [d], 1);
      constant('ln_f.b', [d], 0);
    }
    uniform('head.w', [d, vocab], d);
    uniform('head.b', [vocab], d);
  }

  private add(name: string, t: tf.Tensor): void {
    this.params.set(name, tf.variable(t, true));
    t.dispose();
  }

  p(name: string): tf.Variable {
    const v = this.params.get(name);
    if (!v) throw new Error(`GPT: no parameter ${name}`);
    return v;
  }

  get numParams(): number {
    let n = 0;
    for (const v of this.params.values()) n += v.size;
    return n;
  }

  /** Token ids [B, T] (int32) -> logits [B*T, vocab]. */
  forward(idx: tf.Tensor2D, opts: ForwardOptions = {}): tf.Tensor2D {
    const c = this.config;
    const fb = opts.fb;
    const layers = fb instanceof Feedback ? fb : null; // what the linear layers see (FA)
    const point = (h: tf.Tensor, name: string) => (fb ? fb.point(h, name) : h);
    const micro = (opts.granularity ?? 'macro') === 'micro';
    const rng = opts.rng ?? null;
    const [B, T] = idx.shape;
    if (T > c.ctx) throw new Error(`GPT: sequence of ${T} tokens is longer than the context ${c.ctx}`);
    if (idx.dtype !== 'int32') throw new Error('GPT: token ids must be int32');
    const P = (n: string) => this.p(n);
    const lin = (h: tf.Tensor, w: string, b: string) => linear(h, P(w), P(b), layers, w);
    // full-context batches take pos_emb whole: the gradient of a slice is a Pad (a slow JS kernel)
    const pos = T === c.ctx ? P('pos_emb') : tf.slice(P('pos_emb'), [0, 0], [T, c.d]);
    let x = tf.add(tf.gather(P('tok_emb'), idx), pos) as tf.Tensor3D;
    x = dropout(x, c.dropout, rng);
    if (opts.dfaEmbed) x = point(x, 'embed') as tf.Tensor3D;
    for (let i = 0; i < c.layers; i++) {
      const p = `block${i}.`;
      const attnParams = { wqkv: P(p + 'attn.wqkv'), bqkv: P(p + 'attn.bqkv'), wo: P(p + 'attn.wo'), bo: P(p + 'attn.bo') };
      const attn = (h: tf.Tensor3D) => dropout(causalSelfAttention(h, attnParams, { heads: c.heads, dropout: c.dropout, rng, fb: layers, name: p + 'attn' }), c.dropout, rng);
      const ffnAct = (h: tf.Tensor) => {
        const a = dropout(tf.relu(lin(h, p + 'ffn.w1', p + 'ffn.b1')), c.dropout, rng);
        return micro ? point(a, p + 'ffn') : a;
      };
      const ffnOut = (a: tf.Tensor) => dropout(lin(a, p + 'ffn.w2', p + 'ffn.b2'), c.dropout, rng);
      const ln = (h: tf.Tensor, n: string) => layerNorm(h, P(p + n + '.g'), P(p + n + '.b'));
      if (c.preLN) {
        x = tf.add(x, attn(ln(x, 'ln1') as tf.Tensor3D));
        if (micro) x = point(x, p + 'attn') as tf.Tensor3D;
        x = tf.add(x, ffnOut(ffnAct(ln(x, 'ln2'))));
      } else {
        x = ln(tf.add(x, attn(x)), 'ln1') as tf.Tensor3D;
        if (micro) x = point(x, p + 'attn') as tf.Tensor3D;
        x = ln(tf.add(x, ffnOut(ffnAct(x))), 'ln2') as tf.Tensor3D;
      }
      x = point(x, p + 'out') as tf.Tensor3D;
    }
    let h: tf.Tensor = tf.reshape(x, [B * T, c.d]);
    if ((opts.errorAt ?? 'before') === 'before') h = fb ? fb.output(h) : h;
    if (c.preLN) h = layerNorm(h, P('ln_f.g'), P('ln_f.b'));
    let logits = lin(h, 'head.w', 'head.b') as tf.Tensor2D;
    if (opts.errorAt === 'after') logits = (fb ? fb.output(logits) : logits) as tf.Tensor2D;
    return logits;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}
