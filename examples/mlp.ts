// Your own network, any method: mark where feedback enters (point) and where the error is taken
// (output), route weight layers through the Feedback (Linear.apply(x, fb)), and let fb.grads do
// the backward pass the method defines.
import * as tf from '@tensorflow/tfjs';
import { Adam, Feedback, Linear, Rng, rings, sparseSoftmaxCrossEntropy, type Method } from 'dfa-ts';

export function trainMlp(method: Method, steps = 50): number[] {
  const rng = new Rng(0);
  const data = rings(512, 8, 3, rng.fork('data')); // 8-d inputs, 3 classes
  const x = tf.tensor2d(data.x, [data.n, data.dim]);
  const y = tf.tensor1d(data.y, 'int32');
  const l1 = new Linear({ inDim: 8, outDim: 64, rng: rng.fork('l1'), name: 'l1' });
  const l2 = new Linear({ inDim: 64, outDim: 64, rng: rng.fork('l2'), name: 'l2' });
  const top = new Linear({ inDim: 64, outDim: 3, rng: rng.fork('top'), name: 'top' });
  const vars = [...l1.variables, ...l2.variables, ...top.variables];
  const fb = new Feedback({ method, seed: 1 });
  const opt = new Adam({ lr: 1e-2 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = fb.grads(() => {
      let h = fb.point(tf.tanh(l1.apply(x, fb)), 'h1'); // feedback enters after each hidden block
      h = fb.point(tf.tanh(l2.apply(h, fb)), 'h2');
      const logits = fb.output(top.apply(h, fb)); // e = dLoss/dlogits is taken here
      fb.target(y); // drtp projects the target instead of the error; other methods ignore it
      return sparseSoftmaxCrossEntropy(logits, y);
    }, vars);
    losses.push(value.dataSync()[0]!);
    value.dispose();
    opt.apply(grads); // a variable without a gradient (hidden layers under shallow) is not updated
  }
  for (const l of [l1, l2, top]) l.dispose();
  fb.dispose();
  opt.dispose();
  tf.dispose([x, y]);
  return losses;
}
