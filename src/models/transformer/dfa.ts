/**
 * Training signals for the Transformer LM: backprop, DFA (macro or micro) and shallow, as one
 * `PointHooks` object passed to `GPT.forward` plus `lmGradients`, which runs one forward and one
 * backward pass and returns the loss and a gradient per parameter.
 *
 * DFA, lean (as ../shared/anchors/torch_transformer.py and TinyDFA's semantics):
 * - every feedback point hands the next layer a detached copy, so no Wᵀδ product ever crosses a
 *   point, and backprop is exact inside each segment (inside attention that is the exact backward
 *   of appendix D, through W_V);
 * - the DFA output is one recorded op ("join") whose value is the top tensor and whose inputs are
 *   the top tensor and every point; its backward receives e = dL/d(top), projects it once through
 *   the shared random matrix, rp = e · B / sqrt(F) (B ~ U(-1, 1) of shape (error dim, F), F = the
 *   widest point), and gives point i the slice rp[:, :width_i]; the top tensor gets e unchanged,
 *   so layers above the DFA output learn by their true gradient;
 * - every token of every sequence is one row of e: the feedback matrix is shared across tokens
 *   and batch (appendix C);
 * - embeddings learn by backprop through block 0's first segment, unless dfaEmbed puts a point
 *   on them.
 * Shallow: every point detaches and nothing is fed back, so only the layers above the last block
 * learn.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../engine/rng';
import { crossEntropy } from '../../nn/transformer/cross_entropy';
import { customOp, detach, gradients, type LazyGrads } from '../../feedback/tape';
import { FeedbackMatrix } from '../../feedback/matrix';
import { GPT, type ErrorAt, type Granularity, type PointHooks } from './gpt';

export type LmMethod = 'bp' | 'macro' | 'micro' | 'shallow';
export const LM_METHODS: LmMethod[] = ['bp', 'macro', 'micro', 'shallow'];

export interface LmTrainingSetup {
  method: LmMethod;
  errorAt?: ErrorAt; // default 'before' (the vocabulary projection then gets its true gradient)
  dfaEmbed?: boolean; // default false
}

export function granularityOf(method: LmMethod): Granularity {
  return method === 'micro' ? 'micro' : 'macro';
}

/** The hooks for one model and method; reuse across steps, call `reset()` after each. */
export class TransformerFeedback implements PointHooks {
  readonly matrix: FeedbackMatrix | null = null;
  private points: tf.Tensor[] = [];
  readonly pointNames: string[] = [];
  private kept: tf.Tensor[] = [];

  constructor(readonly method: LmMethod, config: { d: number; ffn: number; vocab: number }, readonly errorAt: ErrorAt = 'before', seed: number | Rng = 0) {
    if (method === 'macro' || method === 'micro') {
      const errDim = errorAt === 'after' ? config.vocab : config.d;
      const F = method === 'micro' ? Math.max(config.d, config.ffn) : config.d;
      const rng = typeof seed === 'number' ? new Rng(seed).fork('feedback-matrix') : seed.fork('feedback-matrix');
      this.matrix = new FeedbackMatrix(errDim, F, 'widest', rng);
    }
  }

  get isDfa(): boolean {
    return this.matrix !== null;
  }

  point(h: tf.Tensor, name: string): tf.Tensor {
    if (this.method === 'bp') return h;
    this.pointNames.push(name);
    if (this.isDfa) this.points.push(h);
    return detach(h);
  }

  output(top: tf.Tensor): tf.Tensor {
    if (!this.isDfa) return top;
    const B = this.matrix!;
    const points = this.points;
    const inputs: Record<string, tf.Tensor> = { top };
    points.forEach((p, i) => (inputs[`p${i}`] = p));
    const cache: { rp?: tf.Tensor2D } = {};
    const signal = (dy: tf.Tensor): tf.Tensor2D => {
      if (!cache.rp) {
        const e = tf.reshape(dy, [-1, B.outDim]) as tf.Tensor2D;
        cache.rp = tf.keep(tf.matMul(e, B.slice(B.maxWidth))) as tf.Tensor2D; // (e · B) / sqrt(F), once for all points
        this.kept.push(cache.rp);
      }
      return cache.rp;
    };
    return customOp(
      inputs,
      () => tf.clone(top),
      (dy) => {
        const g: LazyGrads = { top: () => dy };
        points.forEach((p, i) => {
          const w = p.shape[p.rank - 1]!;
          g[`p${i}`] = () => {
            const s = signal(dy);
            return tf.reshape(w === B.maxWidth ? s : tf.slice(s, [0, 0], [s.shape[0], w]), p.shape);
          };
        });
        return g;
      },
    );
  }

  /** Forget this step's points and free the kept projection. */
  reset(): void {
    this.points = [];
    this.pointNames.length = 0;
    for (const t of this.kept) t.dispose();
    this.kept = [];
  }

  dispose(): void {
    this.reset();
    this.matrix?.dispose();
  }
}

export interface LmStepResult {
  loss: number;
  grads: Map<string, tf.Tensor>; // parameters that got a gradient (shallow: the top only)
}

/**
 * Loss and gradients of one batch under the feedback's method. The caller disposes the grads.
 * `rng` drives dropout (null: none).
 */
export function lmGradients(model: GPT, fb: TransformerFeedback, inputs: tf.Tensor2D, targets: tf.Tensor1D, rng: Rng | null, opts: { dfaEmbed?: boolean } = {}): LmStepResult {
  const names = [...model.params.keys()];
  const vars = names.map((n) => model.params.get(n)!);
  fb.reset();
  try {
    const { value, grads } = gradients(() => {
      const logits = model.forward(inputs, { hooks: fb, granularity: granularityOf(fb.method), dfaEmbed: opts.dfaEmbed, errorAt: fb.errorAt, rng });
      return crossEntropy(logits, targets);
    }, vars);
    const loss = value.dataSync()[0]!;
    value.dispose();
    if (!Number.isFinite(loss)) {
      grads.forEach((g) => g?.dispose());
      throw new Error(`training diverged: loss is ${loss} (lower the learning rate or clip gradients)`);
    }
    const out = new Map<string, tf.Tensor>();
    grads.forEach((g, i) => {
      if (g) out.set(names[i]!, g);
    });
    return { loss, grads: out };
  } finally {
    fb.reset();
  }
}
