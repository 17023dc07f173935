/**
 * y = x W + b over the last axis of x (any rank), W of shape [in, out]: the DfaLinear kernel
 * (linear_kernel.ts) on every backend, whose gradient is computed per input only when asked for.
 * Without a bias (or for other dtypes and shapes) a plain matMul + add.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { DFA_LINEAR } from './linear_kernel';

export function linearOp(x: tf.Tensor, w: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const inDim = w.shape[0]!, outDim = w.shape[1]!;
  if (x.shape[x.rank - 1] !== inDim) throw new Error(`linear: input last dimension ${x.shape[x.rank - 1]} does not match weight [${w.shape}]`);
  const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, inDim]);
  let y2: tf.Tensor;
  if (b && x.dtype === 'float32' && w.rank === 2 && b.rank === 1 && b.size === outDim) {
    y2 = tf.engine().runKernel(DFA_LINEAR, { x: x2, w, bias: b }) as tf.Tensor;
  } else {
    y2 = b ? tf.add(tf.matMul(x2 as tf.Tensor2D, w as tf.Tensor2D), b) : tf.matMul(x2 as tf.Tensor2D, w as tf.Tensor2D);
  }
  return x.rank === 2 ? y2 : tf.reshape(y2, [...x.shape.slice(0, -1), outDim]);
}
