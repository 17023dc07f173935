// A Transformer block (causal self-attention + feed-forward, post-LN) on a next-token task. Macro
// DFA: one feedback point after the block, the error taken at the logits. (fb.output on the block's
// output instead takes the error before the vocabulary projection, which then learns by its true
// gradient, as the paper's reference does; drtp needs the error at the logits.) Add fb.point(...)
// after each sub-layer for micro DFA.
import * as tf from '@tensorflow/tfjs';
import { Adam, Feedback, Linear, Rng, causalSelfAttention, layerNorm, sparseSoftmaxCrossEntropy, type Method } from 'dfa-ts';

export function trainTransformerBlock(method: Method, steps = 30): number[] {
  const V = 12, T = 8, d = 16, B = 16;
  const rng = new Rng(0);
  // Sequences that count up modulo V from a random start: the next token is predictable.
  const starts = Array.from({ length: B }, () => rng.int(V));
  const tokens = Int32Array.from({ length: B * (T + 1) }, (_, i) => (starts[Math.floor(i / (T + 1))]! + (i % (T + 1))) % V);
  const x = tf.tensor2d(Int32Array.from({ length: B * T }, (_, i) => tokens[Math.floor(i / T) * (T + 1) + (i % T)]!), [B, T], 'int32');
  const y = tf.tensor1d(Int32Array.from({ length: B * T }, (_, i) => tokens[Math.floor(i / T) * (T + 1) + (i % T) + 1]!), 'int32');
  const param = (name: string, shape: number[], scale: number) => tf.variable(tf.tensor(rng.fork(name).normalArray(shape.reduce((a, b) => a * b), 0, scale), shape));
  const emb = param('emb', [V, d], 1), pos = param('pos', [T, d], 1);
  const attn = { wqkv: param('wqkv', [d, 3 * d], 1 / Math.sqrt(d)), bqkv: param('bqkv', [3 * d], 0), wo: param('wo', [d, d], 1 / Math.sqrt(d)), bo: param('bo', [d], 0) };
  const ln = [1, 2].map((i) => ({ g: tf.variable(tf.ones([d])), b: tf.variable(tf.zeros([d])), i }));
  const ff1 = new Linear({ inDim: d, outDim: 4 * d, rng: rng.fork('ff1'), name: 'ff1', init: 'torch' });
  const ff2 = new Linear({ inDim: 4 * d, outDim: d, rng: rng.fork('ff2'), name: 'ff2', init: 'torch' });
  const head = new Linear({ inDim: d, outDim: V, rng: rng.fork('head'), name: 'head', init: 'torch' });
  const vars = [emb, pos, ...Object.values(attn), ...ln.flatMap((l) => [l.g, l.b]), ...ff1.variables, ...ff2.variables, ...head.variables];
  const fb = new Feedback({ method, seed: 1 });
  const opt = new Adam({ lr: 1e-2 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = fb.grads(() => {
      let h = tf.add(tf.gather(emb, x), pos) as tf.Tensor3D; // [B, T, d]
      h = layerNorm(tf.add(h, causalSelfAttention(h, attn, { heads: 2, fb })), ln[0]!.g, ln[0]!.b) as tf.Tensor3D;
      h = layerNorm(tf.add(h, ff2.apply(tf.relu(ff1.apply(h, fb)), fb)), ln[1]!.g, ln[1]!.b) as tf.Tensor3D;
      h = fb.point(h, 'block.out') as tf.Tensor3D; // macro DFA: feedback enters after the block
      const logits = fb.output(head.apply(tf.reshape(h, [B * T, d]), fb)); // the error at the logits
      fb.target(y); // drtp's target
      return sparseSoftmaxCrossEntropy(logits as tf.Tensor2D, y);
    }, vars);
    losses.push(value.dataSync()[0]!);
    value.dispose();
    opt.apply(grads);
  }
  for (const l of [ff1, ff2, head]) l.dispose();
  tf.dispose([emb, pos, ...Object.values(attn), ...ln.flatMap((l) => [l.g, l.b]), x, y]);
  fb.dispose();
  opt.dispose();
  return losses;
}
