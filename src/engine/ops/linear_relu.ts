/**
 * relu(x·W + b), and relu((x·W + b) + x2·W2) for a layer on a concatenation [x, x2] kept as two
 * weights: the DfaLinearRelu / DfaLinear2Relu kernels (linear_relu_kernel.ts) on every backend,
 * bit-identical to the linear, add and relu ops they fuse. x and x2 are [N, in] (2-D); other
 * dtypes run those ops.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { linearOp } from './linear';
import { DFA_LINEAR2_RELU, DFA_LINEAR_RELU } from './linear_relu_kernel';

export interface SecondInput {
  x: tf.Tensor;
  w: tf.Tensor;
}

export function linearRelu(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, second?: SecondInput): tf.Tensor {
  const check = (xi: tf.Tensor, wi: tf.Tensor, what: string) => {
    if (xi.rank !== 2 || wi.rank !== 2 || xi.shape[1] !== wi.shape[0] || wi.shape[1] !== w.shape[1] || xi.shape[0] !== x.shape[0]) {
      throw new Error(`linearRelu: ${what} [${xi.shape}] · [${wi.shape}] does not fit x [${x.shape}] · w [${w.shape}]`);
    }
  };
  check(x, w, 'x');
  if (second) check(second.x, second.w, 'the second input');
  if (b.rank !== 1 || b.shape[0] !== w.shape[1]) throw new Error(`linearRelu: bias [${b.shape}] does not fit w [${w.shape}]`);
  const f32 = [x, w, b, ...(second ? [second.x, second.w] : [])].every((t) => t.dtype === 'float32');
  if (!f32) {
    const a = linearOp(x, w, b);
    return tf.relu(second ? tf.add(a, tf.matMul(second.x as tf.Tensor2D, second.w as tf.Tensor2D)) : a);
  }
  if (!second) return tf.engine().runKernel(DFA_LINEAR_RELU, { x, w, bias: b }) as tf.Tensor;
  return tf.engine().runKernel(DFA_LINEAR2_RELU, { x, w, bias: b, x2: second.x, w2: second.w }) as tf.Tensor;
}
