// A small CNN with tf.conv2d and your own weights. The feedback point after each convolution block
// is on the [N, H, W, C] map: with the error's leading dim (N) a prefix of the map's, DFA feeds each
// position the same e·B over the channels (one matrix shared across positions). Flatten first
// (fb.point(tf.reshape(h, [N, -1]))) for one matrix over the whole map instead.
import * as tf from '@tensorflow/tfjs';
import { Adam, Feedback, Linear, Rng, sparseSoftmaxCrossEntropy, type Method } from 'dfa-ts';

/** Images of a bright square in one of four quadrants; the class is the quadrant. */
function quadrants(n: number, rng: Rng): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const img = new Float32Array(n * 12 * 12);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(4);
    const r0 = (y[i]! >> 1) * 6 + rng.int(3), c0 = (y[i]! & 1) * 6 + rng.int(3);
    for (let r = 0; r < 12; r++) for (let c = 0; c < 12; c++) {
      const inside = r >= r0 && r < r0 + 3 && c >= c0 && c < c0 + 3;
      img[i * 144 + r * 12 + c] = (inside ? 1 : 0) + 0.3 * rng.normal();
    }
  }
  return { x: tf.tensor4d(img, [n, 12, 12, 1]), y: tf.tensor1d(y, 'int32') };
}

export function trainCnn(method: Method, steps = 30): number[] {
  const rng = new Rng(0);
  const { x, y } = quadrants(128, rng.fork('data'));
  const conv = (inC: number, outC: number, r: Rng) => tf.variable(tf.tensor4d(r.normalArray(9 * inC * outC, 0, Math.sqrt(2 / (9 * inC))), [3, 3, inC, outC]));
  const k1 = conv(1, 8, rng.fork('k1')), k2 = conv(8, 16, rng.fork('k2'));
  const top = new Linear({ inDim: 16 * 3 * 3, outDim: 4, rng: rng.fork('top'), name: 'top' });
  const vars = [k1, k2, ...top.variables];
  const fb = new Feedback({ method, seed: 1 });
  const opt = new Adam({ lr: 5e-3 });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = fb.grads(() => {
      let h: tf.Tensor4D = tf.maxPool(tf.relu(tf.conv2d(x, k1, 1, 'same')), 2, 2, 'valid'); // [N, 6, 6, 8]
      h = fb.point(h, 'conv1') as tf.Tensor4D;
      h = tf.maxPool(tf.relu(tf.conv2d(h, k2, 1, 'same')), 2, 2, 'valid'); // [N, 3, 3, 16]
      h = fb.point(h, 'conv2') as tf.Tensor4D;
      const logits = fb.output(top.apply(tf.reshape(h, [-1, 16 * 3 * 3]), fb));
      fb.target(y); // drtp's target
      return sparseSoftmaxCrossEntropy(logits, y);
    }, vars);
    losses.push(value.dataSync()[0]!);
    value.dispose();
    opt.apply(grads);
  }
  top.dispose();
  tf.dispose([k1, k2, x, y]);
  fb.dispose();
  opt.dispose();
  return losses;
}
