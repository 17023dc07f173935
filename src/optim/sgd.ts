/** SGD with momentum, PyTorch semantics: g += wd·w; buf = μ·buf + g (buf = g at the first step); w -= lr·buf (nesterov: lr·(g + μ·buf)). */
import * as tf from '@tensorflow/tfjs';
import { Optimizer, type OptimizerOptions } from './optimizer';
import { sgdUpdateSlot } from '../engine/fused_optim';

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
    // Native backend: one fused C pass (same formulas), momentum buffer updated in place.
    const buf0 = this.momentum > 0 ? this.slot(v, 'momentum') : null;
    const fused = sgdUpdateSlot(v, g, buf0, t === 1, { lr, momentum: this.momentum, weightDecay: wd, nesterov: this.nesterov });
    if (fused) {
      if (fused.buf && fused.buf !== buf0) this.setSlot(v, 'momentum', fused.buf);
      return;
    }
    tf.tidy(() => {
      let d = wd > 0 ? tf.add(g, tf.mul(v, wd)) : g;
      if (this.momentum > 0) {
        const buf = t === 1 ? d.clone() : tf.add(tf.mul(this.slot(v, 'momentum'), this.momentum), d);
        this.setSlot(v, 'momentum', buf);
        d = this.nesterov ? tf.add(d, tf.mul(buf, this.momentum)) : buf;
      }
      v.assign(tf.sub(v, tf.mul(d, lr)));
    });
  }
}
