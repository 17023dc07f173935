/**
 * Adam with L2 weight decay added to the gradient, per parameter group: PyTorch's
 * `torch.optim.Adam([{params, weight_decay}, ...], lr)`, which the paper's graph code uses
 * (weight decay on the first layer only for GCN / Cheb). A thin adapter over the library's
 * Adam (src/train/optim), whose update is fused natively on the native backend.
 */
import type * as tf from '@tensorflow/tfjs';
import { Adam } from '../../optim';

export interface ParamGroup {
  params: tf.Variable[];
  weightDecay: number;
}

export class AdamL2 {
  private readonly opt: Adam;
  constructor(readonly groups: ParamGroup[], readonly lr: number, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-8) {
    this.opt = new Adam({ lr, beta1, beta2, eps, groups: groups.map((g) => ({ vars: g.params, weightDecay: g.weightDecay })) });
  }

  /** One step; a variable without a gradient (undefined) is left alone, as PyTorch skips None.
   *  The caller keeps ownership of the gradients (they are cloned for the optimizer, which disposes its inputs). */
  step(grads: Map<tf.Variable, tf.Tensor | undefined>): void {
    const own = new Map<tf.Variable, tf.Tensor>();
    for (const [v, g] of grads) if (g) own.set(v, g.clone());
    this.opt.apply(own);
  }
}
