/**
 * The MLP training step timed by `dfa bench mlp` beside ../shared/anchors/torch_mlp.py:
 * 784 → [1024]×k → 10, tanh, softmax cross-entropy, PyTorch's nn.Linear init; one step =
 * forward + backward (per method) + optimizer ('sgd': lr 0.01, momentum 0.9; 'adam': lr 1e-3).
 */
import type * as tf from '@tensorflow/tfjs';
import { Feedback, type Method } from '../src/feedback';
import { softmaxCrossEntropy } from '../src/metrics/losses';
import { MLP } from '../src/nn/mlp';
import { Adam, SGD, type Optimizer } from '../src/optim';

export interface MlpStepOptions {
  /** number of hidden layers */
  k: number;
  method: Method;
  optimizer: 'sgd' | 'adam';
  width?: number;
  inputDim?: number;
  outputDim?: number;
  seed?: number;
}

export interface MlpStep {
  /** one training step on x [N, inputDim] and integer labels y [N]; returns nothing (no host sync) */
  step(x: tf.Tensor2D, y: tf.Tensor1D): void;
  /** same, returning the loss (reads it back) */
  stepWithLoss(x: tf.Tensor2D, y: tf.Tensor1D): number;
  readonly model: MLP;
  readonly feedback: Feedback;
  readonly optimizer: Optimizer;
  dispose(): void;
}

export function createMlpStep(o: MlpStepOptions): MlpStep {
  const width = o.width ?? 1024;
  const model = new MLP({
    inputDim: o.inputDim ?? 784, hidden: new Array(o.k).fill(width), outputDim: o.outputDim ?? 10,
    activation: 'tanh', init: 'torch', seed: o.seed ?? 0,
  });
  const feedback = new Feedback({ method: o.method, seed: o.seed ?? 0 });
  const optimizer = o.optimizer === 'sgd' ? new SGD({ lr: 0.01, momentum: 0.9 }) : new Adam({ lr: 1e-3 });
  const vars = model.variables;
  const run = (x: tf.Tensor2D, y: tf.Tensor1D) => {
    const { value, grads } = feedback.grads(() => softmaxCrossEntropy(model.forward(x, feedback), y), vars);
    optimizer.apply(grads);
    return value;
  };
  return {
    model, feedback, optimizer,
    step: (x, y) => run(x, y).dispose(),
    stepWithLoss: (x, y) => {
      const v = run(x, y);
      const l = v.dataSync()[0]!;
      v.dispose();
      return l;
    },
    dispose() {
      model.dispose();
      feedback.dispose();
      optimizer.dispose();
    },
  };
}
