import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { detach } from '../../../feedback/tape';
import { softmaxCrossEntropy } from '../../../metrics/losses';
import { maxRelErr as maxRel } from '../../../../test/helpers';
import { GPT, type ErrorAt, type GptConfig } from './gpt';
import { gptFeedback } from './feedback';
import { lmMethod, type LmMethod } from '../paper';
import type { Feedback } from '../../../feedback';

type Markers = Pick<Feedback, 'point' | 'output'>;

/** One step's loss and gradients by parameter name, as the training loop takes them. */
function lmGradients(m: GPT, fb: Feedback, x: tf.Tensor2D, y: tf.Tensor1D, method: LmMethod, opts: { dfaEmbed?: boolean; errorAt?: ErrorAt } = {}) {
  const names = [...m.params.keys()];
  const vars = names.map((n) => m.params.get(n)!);
  const { granularity } = lmMethod(method);
  const { value, grads } = fb.grads(() => softmaxCrossEntropy(m.forward(x, { fb, granularity, dfaEmbed: opts.dfaEmbed, errorAt: opts.errorAt }), y), vars);
  const loss = value.dataSync()[0]!;
  value.dispose();
  const out = new Map<string, tf.Tensor>();
  names.forEach((n, i) => grads.has(vars[i]!) && out.set(n, grads.get(vars[i]!)!));
  return { loss, grads: out };
}

const feedback = (method: LmMethod, errorAt: ErrorAt = 'before', seed = 0) => {
  const { method: mm, granularity } = lmMethod(method);
  return gptFeedback(mm, granularity, CFG, errorAt, seed);
};
const granularityOf = (m: LmMethod) => lmMethod(m).granularity;

const CFG: GptConfig = { vocab: 19, ctx: 6, d: 12, layers: 3, heads: 3, ffn: 20, dropout: 0, preLN: false };

function batch(seed: number): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const r = new Rng(seed);
  const x = tf.tensor2d(Int32Array.from({ length: 12 }, () => r.int(CFG.vocab)), [2, 6], 'int32');
  const y = tf.tensor1d(Int32Array.from({ length: 12 }, () => r.int(CFG.vocab)), 'int32');
  return { x, y };
}

/**
 * The reference DFA gradient, built without the join op: e = dL/d(top) from a plain BP pass, the
 * signals rp_i = (e · B / sqrt(F))[:, :w_i], then the gradient of sum_i <p_i, rp_i> with every
 * point detached for what follows it (each signal backpropagated inside its own segment).
 */
function referenceDfa(m: GPT, fb: Feedback, method: LmMethod, x: tf.Tensor2D, y: tf.Tensor1D, errorAt: ErrorAt, dfaEmbed: boolean): Map<string, tf.Tensor> {
  const names = [...m.params.keys()];
  const vars = names.map((n) => m.params.get(n)!);
  // e at the DFA output, from a BP forward with the top as a leaf
  let top: tf.Tensor | null = null;
  const grab: Markers = { point: (h) => h, output: (h) => (top = tf.keep(detach(h))) };
  tf.tidy(() => void m.forward(x, { fb: grab, errorAt, granularity: granularityOf(method), dfaEmbed }));
  const eHolder = tf.keep(tf.tidy(() => {
    const f = (t: tf.Tensor) => {
      // rerun the part above the DFA output on the leaf
      const hooks: Markers = { point: (h) => h, output: () => t };
      return softmaxCrossEntropy(m.forward(x, { fb: hooks, errorAt, granularity: granularityOf(method), dfaEmbed }), y);
    };
    return tf.grad(f)(top!);
  }));
  const B = fb.feedbackMatrix!;
  const rp = tf.keep(tf.matMul(tf.reshape(eHolder, [-1, B.shape[0]]) as tf.Tensor2D, B).div(Math.sqrt(B.shape[1])));
  const { grads } = tf.tidy(() => tf.engine().gradients(() => {
    const pts: tf.Tensor[] = [];
    const hooks: Markers = { point: (h) => (pts.push(h), detach(h)), output: (h) => h };
    const logits = m.forward(x, { fb: hooks, errorAt, granularity: granularityOf(method), dfaEmbed });
    let s: tf.Scalar = tf.scalar(0);
    for (const p of pts) {
      const w = p.shape[p.rank - 1]!;
      s = tf.add(s, tf.sum(tf.mul(p, tf.reshape(tf.slice(rp, [0, 0], [rp.shape[0]!, w]), p.shape))));
    }
    // plus the true loss for the layers above the DFA output (the join passes e to them)
    return tf.add(s, softmaxCrossEntropy(logits, y));
  }, vars, undefined, true));
  const out = new Map<string, tf.Tensor>();
  grads.forEach((g, i) => g && out.set(names[i]!, g));
  (top as tf.Tensor | null)?.dispose();
  eHolder.dispose();
  rp.dispose();
  return out;
}

for (const [method, errorAt, dfaEmbed] of [['macro', 'before', false], ['micro', 'before', false], ['macro', 'after', true]] as Array<[LmMethod, ErrorAt, boolean]>) {
  test(`DFA ${method} (error ${errorAt} the projection${dfaEmbed ? ', DFA embeddings' : ''}) equals the per-segment reference`, () => {
    const m = new GPT(CFG, 11);
    const fb = feedback(method, errorAt, 3);
    const { x, y } = batch(1);
    const { grads, loss } = lmGradients(m, fb, x, y, method, { dfaEmbed, errorAt });
    const bpLoss = tf.tidy(() => softmaxCrossEntropy(m.forward(x), y).dataSync()[0]!);
    assert.ok(Math.abs(loss - bpLoss) < 1e-5, 'the forward value is the BP forward');
    const ref = referenceDfa(m, fb, method, x, y, errorAt, dfaEmbed);
    assert.deepEqual([...grads.keys()].sort(), [...ref.keys()].sort());
    assert.equal(grads.size, m.params.size, 'every parameter learns');
    for (const [n, g] of grads) assert.ok(maxRel(g, ref.get(n)!) < 1e-4, `${n}: relative error ${maxRel(g, ref.get(n)!)}`);
    // and it is not backprop: the trunk's gradients differ from BP's
    const bp = lmGradients(m, feedback('bp'), x, y, 'bp', { errorAt });
    assert.ok(maxRel(grads.get('block1.ffn.w1')!, bp.grads.get('block1.ffn.w1')!) > 0.1);
    if (errorAt === 'before') assert.ok(maxRel(grads.get('head.w')!, bp.grads.get('head.w')!) < 1e-5, 'the projection gets its true gradient');
    // embeddings: BP through block 0's first segment by default; with dfaEmbed they get their own point
    for (const t of [...grads.values(), ...ref.values(), ...bp.grads.values(), x, y]) t.dispose();
    fb.dispose();
    m.dispose();
  });
}

test('FA trains the GPT through its linear layers: each draws its own matrix, the projection keeps its true gradient', () => {
  const m = new GPT(CFG, 6);
  const { x, y } = batch(6);
  const bpFb = gptFeedback('bp', 'macro', CFG);
  const faFb = gptFeedback('fa', 'macro', CFG);
  const bp = lmGradients(m, bpFb, x, y, 'bp');
  const fa = lmGradients(m, faFb, x, y, 'bp'); // the row name only picks the granularity
  assert.ok(Math.abs(fa.loss - bp.loss) < 1e-6, 'the forward value is the BP forward');
  assert.equal(fa.grads.size, m.params.size, 'every parameter learns');
  const linears = [...m.params.keys()].filter((n) => /\.(wqkv|wo|w1|w2)$|^head\.w$/.test(n));
  assert.equal(linears.length, 4 * CFG.layers + 1);
  for (const n of linears) assert.ok(faFb.faMatrixOf(n), `FA has a matrix for ${n}`);
  assert.ok(maxRel(fa.grads.get('head.w')!, bp.grads.get('head.w')!) < 1e-5, 'the projection sees the true error');
  for (const n of ['block2.ffn.w2', 'block0.attn.wqkv', 'tok_emb']) assert.ok(maxRel(fa.grads.get(n)!, bp.grads.get(n)!) > 0.05, `${n} learns from FA's signal, not BP's`);
  for (const t of [...fa.grads.values(), ...bp.grads.values(), x, y]) t.dispose();
  bpFb.dispose();
  faFb.dispose();
  m.dispose();
});

test('shallow trains only the projection; BP trains everything', () => {
  const m = new GPT(CFG, 2);
  const { x, y } = batch(2);
  const sh = lmGradients(m, feedback('shallow'), x, y, 'shallow');
  assert.deepEqual([...sh.grads.keys()].sort(), ['head.b', 'head.w']);
  const bp = lmGradients(m, feedback('bp'), x, y, 'bp');
  assert.equal(bp.grads.size, m.params.size);
  assert.ok(maxRel(sh.grads.get('head.w')!, bp.grads.get('head.w')!) < 1e-5);
  m.dispose();
});

test('DFA skips the input-gradient products across feedback points (fewer kernels than BP)', () => {
  const m = new GPT(CFG, 4);
  const { x, y } = batch(4);
  const count = (method: LmMethod) => {
    const fb = feedback(method, 'before', 1);
    const before = tf.memory().numTensors;
    const prof = tf.tidy(() => {
      let n = 0;
      const orig = tf.engine().runKernel.bind(tf.engine());
      // count matmul kernels run by the backward pass
      (tf.engine() as unknown as { runKernel: typeof orig }).runKernel = ((name: string, ...rest: unknown[]) => {
        if (name === 'BatchMatMul' || name === '_FusedMatMul') n++;
        return (orig as (...a: unknown[]) => unknown)(name, ...rest);
      }) as typeof orig;
      try {
        const r = lmGradients(m, fb, x, y, method);
        r.grads.forEach((g) => g.dispose());
      } finally {
        (tf.engine() as unknown as { runKernel: typeof orig }).runKernel = orig;
      }
      return n;
    });
    fb.dispose();
    assert.ok(tf.memory().numTensors <= before + 1, `${method} leaked ${tf.memory().numTensors - before} tensors`);
    return prof;
  };
  const bp = count('bp'), macro = count('macro'), micro = count('micro');
  assert.ok(macro < bp, `macro ${macro} matmuls vs bp ${bp}`);
  assert.ok(micro < macro, `micro ${micro} matmuls vs macro ${macro}`);
  m.dispose();
});
