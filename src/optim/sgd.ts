/** SGD with momentum, PyTorch semantics: g += wd·w; buf = μ·buf + g (buf = g at the first step); w -= lr·buf (nesterov: lr·(g + μ·buf)). */
import type * as tf from '@tensorflow/tfjs';
import { Optimizer, type OptimizerOptions } from './optimizer';
import { sgdStep } from '../engine/optim_step';

export interface SGDOptions extends OptimizerOptions {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly kind = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(o: SGDOptions) {
    super(o);
    this.momentum = o.momentum ?? 0;
    this.nesterov = o.nesterov ?? false;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new Error(`sgd: momentum must be in [0, 1), got ${o.momentum}`);
  }

  protected update(v: tf.Variable, g: tf.Tensor, lr: number, wd: number, t: number): void {
    const buf = this.momentum > 0 ? this.slot(v, 'momentum') : null;
    const next = sgdStep(v, g, buf, t === 1, { lr, momentum: this.momentum, weightDecay: wd, nesterov: this.nesterov });
    if (next.buf && next.buf !== buf) this.setSlot(v, 'momentum', next.buf);
  }
}
