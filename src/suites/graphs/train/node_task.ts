/**
 * Full-batch semi-supervised node classification, one optimizer step per epoch, test accuracy at
 * the epoch of best validation accuracy (strictly better, as the paper's geometric.py), with BP,
 * DFA or shallow through a `Feedback`.
 */
import * as tf from '@tensorflow/tfjs';
import { Feedback } from '../../../feedback';
import { Rng } from '../../../engine/rng';
import type { Graph } from '../nn/graph';
import type { NodeInput } from '../nn/input';
import { gatherRows } from '../nn/ops';
import { AdamL2 } from '../../../models/graph/adam';
import type { GraphMethod, NodeClassifier } from '../models/node';

export interface NodeTask {
  x: NodeInput;
  graph: Graph;
  y: Int32Array;
  numClasses: number;
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

export interface NodeTrainOptions {
  method: GraphMethod;
  lr: number;
  epochs: number;
  rng: Rng;
  /** called after every epoch with its validation and test accuracy */
  onEpoch?: (epoch: number, val: number, test: number) => void;
}

export interface NodeTrainResult {
  testAtBestVal: number;
  bestVal: number;
  bestEpoch: number;
  finalTest: number;
  /** median wall-clock ms of a training step (forward + backward + Adam), epochs 10+ */
  trainMsMedian: number;
  /** median ms of an evaluation forward */
  evalMsMedian: number;
}

export function maskToIndex(mask: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(i);
  return Int32Array.from(out);
}

/** Mean negative log-likelihood over the rows `idx`, from logits (or from log-probabilities). */
export function nllLoss(out: tf.Tensor, y: Int32Array, idx: Int32Array, numClasses: number, isLogProb = false): tf.Scalar {
  const lp = isLogProb ? out : tf.logSoftmax(out as tf.Tensor2D);
  const rows = gatherRows(lp, idx);
  const oh = new Float32Array(idx.length * numClasses);
  for (let i = 0; i < idx.length; i++) oh[i * numClasses + y[idx[i]!]!] = -1 / idx.length;
  return tf.sum(tf.mul(rows, tf.tensor2d(oh, [idx.length, numClasses]))) as tf.Scalar;
}

export function accuracy(pred: Int32Array, y: Int32Array, idx: Int32Array): number {
  let ok = 0;
  for (const i of idx) if (pred[i] === y[i]) ok++;
  return idx.length ? ok / idx.length : NaN;
}

export function argmaxRows(t: tf.Tensor): Int32Array {
  const v = t.dataSync();
  const [n, c] = t.shape as [number, number];
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let b = 0;
    for (let j = 1; j < c; j++) if (v[i * c + j]! > v[i * c + b]!) b = j;
    out[i] = b;
  }
  return out;
}

function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** A training step: returns the loss. The Feedback decides what reaches which parameter. */
export function nodeStep(model: NodeClassifier, task: NodeTask, fb: Feedback, opt: AdamL2, rng: Rng): number {
  return tf.tidy(() => {
    const { value, grads } = fb.grads(() => nllLoss(model.forward(fb, true, rng), task.y, task.train, task.numClasses, model.logSoftmaxOutput), model.params());
    const loss = value.dataSync()[0]!;
    if (!Number.isFinite(loss)) throw new Error(`node classification: the loss is ${loss}; lower the learning rate`);
    opt.step(grads as Map<tf.Variable, tf.Tensor | undefined>);
    return loss;
  });
}

export function predict(model: NodeClassifier, fb: Feedback, rng: Rng): Int32Array {
  return tf.tidy(() => argmaxRows(model.forward(fb, false, rng)));
}

export function trainNodeClassifier(model: NodeClassifier, task: NodeTask, opts: NodeTrainOptions): NodeTrainResult & { fb: Feedback } {
  const fb = new Feedback({ method: opts.method, rng: opts.rng });
  const opt = new AdamL2(model.groups(), opts.lr);
  const dropRng = opts.rng.fork('dropout');
  let bestVal = -1, testAtBest = 0, bestEpoch = 0, finalTest = 0;
  const tTrain: number[] = [], tEval: number[] = [];
  for (let ep = 1; ep <= opts.epochs; ep++) {
    const t0 = performance.now();
    nodeStep(model, task, fb, opt, dropRng);
    const t1 = performance.now();
    const pred = predict(model, fb, dropRng);
    const t2 = performance.now();
    if (ep > 10) {
      tTrain.push(t1 - t0);
      tEval.push(t2 - t1);
    }
    const val = accuracy(pred, task.y, task.val), test = accuracy(pred, task.y, task.test);
    finalTest = test;
    if (val > bestVal) {
      bestVal = val;
      testAtBest = test;
      bestEpoch = ep;
    }
    opts.onEpoch?.(ep, val, test);
  }
  return { testAtBestVal: testAtBest, bestVal, bestEpoch, finalTest, trainMsMedian: median(tTrain), evalMsMedian: median(tEval), fb };
}
