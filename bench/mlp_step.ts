/**
 * The benchmarked training step: MLP 784 → 1024×k → 10, tanh, mean softmax cross-entropy,
 * batch 128, synthetic seeded data (speed does not depend on values), exactly the anchors'
 * torch_mlp.py network. Forward + backward (per method, through the library's Feedback) +
 * optimizer step (SGD lr 0.01 momentum 0.9, or Adam lr 1e-3).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/engine/rng';
import { Feedback } from '../src/feedback';
import { sparseSoftmaxCrossEntropy } from '../src/engine/ops/sparse_softmax_cross_entropy';
import { makeOptimizer, type BenchOptimizer } from './optimizers';

export function makeMlpStep(k: number, method: string, optim: 'sgd' | 'adam', seed = 0, batch = 128, width = 1024): { step: () => void; dispose: () => void; params: number; weights: () => Float32Array[] } {
  const rng = new Rng(seed).fork('params');
  const dims = [784, ...new Array<number>(k).fill(width), 10];
  const W: tf.Variable[] = [], b: tf.Variable[] = [];
  for (let i = 0; i < dims.length - 1; i++) {
    const fin = dims[i]!, fout = dims[i + 1]!, lim = 1 / Math.sqrt(fin); // PyTorch's nn.Linear init
    W.push(tf.tidy(() => tf.variable(tf.tensor2d(rng.uniformArray(fin * fout, -lim, lim), [fin, fout]))));
    b.push(tf.tidy(() => tf.variable(tf.tensor1d(rng.uniformArray(fout, -lim, lim)))));
  }
  const vars = W.flatMap((w, i) => [w, b[i]!]);
  const data = new Rng(seed).fork('data');
  const x = tf.tensor2d(data.normalArray(batch * 784), [batch, 784]);
  const y = tf.tensor1d(Int32Array.from({ length: batch }, () => data.int(10)), 'int32');
  const fb = new Feedback({ method, seed });
  const opt: BenchOptimizer = makeOptimizer(optim);
  const loss = () => {
    let h: tf.Tensor = x;
    for (let i = 0; i < W.length - 1; i++) h = fb.point(tf.tanh(fb.dense(h, W[i]!, b[i]!, `fc${i}`)), `h${i + 1}`);
    const out = fb.output(fb.dense(h, W[W.length - 1]!, b[b.length - 1]!, 'out'));
    return sparseSoftmaxCrossEntropy(out, y);
  };
  const step = () => {
    const { value, grads } = fb.grads(loss, vars);
    opt.apply(grads);
    value.dataSync(); // a real loop reads the loss; it also makes the step synchronous
    value.dispose();
    for (const g of grads.values()) g.dispose();
  };
  return {
    step,
    params: vars.reduce((a, v) => a + v.size, 0),
    weights: () => vars.map((v) => Float32Array.from(v.dataSync() as Float32Array)),
    dispose: () => {
      tf.dispose([...vars, x, y]);
      fb.dispose();
      opt.dispose();
    },
  };
}
