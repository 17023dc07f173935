/**
 * DfaCross and its gradient kernels on tfjs's backends: the composite the cross layer ran before
 * (matMul, mul, add, add) and the ops tfjs's autodiff of it runs, in the same order, so plain-cpu
 * numbers do not move.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { DFA_CROSS, DFA_CROSS_GRAD_W, DFA_CROSS_GRAD_X } from '../ops/cross_layer_kernel';
import { tapeStep, tfOpsKernel } from './kernel';

/** The composite (the reference the kernels are tested against, and the path for other dtypes). */
export function crossLayerComposite(x0: tf.Tensor2D, x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor): { y: tf.Tensor2D; xw: tf.Tensor2D } {
  const xw = tf.matMul(x, w) as tf.Tensor2D;
  return { y: tf.add(tf.add(tf.mul(x0, xw), b), x) as tf.Tensor2D, xw };
}

/** g = Σ_j dy ∘ x0 per row [B, 1]: Multiply's gradient for xw in mul(x0, xw). */
const rowGrad = (dy: tf.Tensor, x0: tf.Tensor) => tapeStep('Multiply', dy, [x0, tf.zeros([x0.shape[0]!, 1])]).b!();

export const crossLayerCpuKernels: KernelConfig[] = [
  tfOpsKernel(DFA_CROSS, ({ x0, x, w, b }) => {
    const { y, xw } = crossLayerComposite(x0 as tf.Tensor2D, x as tf.Tensor2D, w as tf.Tensor2D, b!);
    return [y, xw];
  }),
  // x's two uses: add(·, x) gives dy, matMul(x, w) gives g·wᵀ; summed in the tape's order
  tfOpsKernel(DFA_CROSS_GRAD_X, ({ dy, x0, w }) => tf.add(dy!, tapeStep('BatchMatMul', rowGrad(dy!, x0!), [x0!, w!], { transposeA: false, transposeB: false }).a!())),
  tfOpsKernel(DFA_CROSS_GRAD_W, ({ dy, x0, x }) => tapeStep('BatchMatMul', rowGrad(dy!, x0!), [x!, x!], { transposeA: false, transposeB: false }).b!()),
];
