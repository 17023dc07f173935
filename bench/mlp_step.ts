/**
 * The benchmarked training step: the library's own MLP step (src/train/mlp_step.ts: MLP
 * 784 → 1024×k → 10, tanh, softmax cross-entropy, forward + backward through Feedback per
 * method + SGD/Adam) on a fixed synthetic batch (speed does not depend on values), exactly the
 * network of ../shared/anchors/torch_mlp.py.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/engine/rng';
import { createMlpStep } from './mlp_step_fixture';
import { parseMethod } from '../src/feedback';

export function makeMlpStep(k: number, method: string, optim: 'sgd' | 'adam', seed = 0, batch = 128, width = 1024): { step: () => void; dispose: () => void; params: number; weights: () => Float32Array[] } {
  const s = createMlpStep({ k, method: parseMethod(method), optimizer: optim, seed, width });
  const data = new Rng(seed).fork('data');
  const x = tf.tensor2d(data.normalArray(batch * 784), [batch, 784]);
  const y = tf.tensor1d(Int32Array.from({ length: batch }, () => data.int(10)), 'int32');
  const vars = s.model.variables;
  return {
    // a real loop reads the loss; reading it also makes the step synchronous, as PyTorch's is
    step: () => void s.stepWithLoss(x, y),
    params: vars.reduce((a, v) => a + v.size, 0),
    weights: () => vars.map((v) => Float32Array.from(v.dataSync() as Float32Array)),
    dispose: () => {
      s.dispose();
      tf.dispose([x, y]);
    },
  };
}
