/**
 * Adam (Kingma & Ba, PyTorch semantics, L2 weight decay added to the gradient) and AdamW
 * (Loshchilov & Hutter: decoupled decay, w -= lr·wd·w, before the Adam step).
 */
import * as tf from '@tensorflow/tfjs';
import { Optimizer, type OptimizerOptions } from './optimizer';
import { adamUpdateSlots } from '../engine/fused_optim';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class Adam extends Optimizer {
  readonly kind: string = 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  protected readonly decoupled: boolean = false;

  constructor(o: AdamOptions) {
    super(o);
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.eps = o.eps ?? 1e-8;
    for (const [k, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new Error(`${this.constructor.name.toLowerCase()}: ${k} must be in [0, 1), got ${b}`);
    }
  }

  protected update(v: tf.Variable, g: tf.Tensor, lr: number, wd: number, t: number): void {
    const { beta1: b1, beta2: b2, eps } = this;
    // Native backend: one fused C pass (same formulas), slots updated in place.
    const m0 = this.slot(v, 'm'), v0 = this.slot(v, 'v');
    const fused = adamUpdateSlots(v, g, m0, v0, t, { lr, beta1: b1, beta2: b2, eps, weightDecay: wd, decoupled: this.decoupled });
    if (fused) {
      if (fused.m !== m0) this.setSlot(v, 'm', fused.m);
      if (fused.s !== v0) this.setSlot(v, 'v', fused.s);
      return;
    }
    tf.tidy(() => {
      let w: tf.Tensor = v;
      if (wd > 0 && this.decoupled) w = tf.mul(v, 1 - lr * wd);
      const grad = wd > 0 && !this.decoupled ? tf.add(g, tf.mul(v, wd)) : g;
      const m = tf.add(tf.mul(this.slot(v, 'm'), b1), tf.mul(grad, 1 - b1));
      const s = tf.add(tf.mul(this.slot(v, 'v'), b2), tf.mul(tf.square(grad), 1 - b2));
      this.setSlot(v, 'm', m);
      this.setSlot(v, 'v', s);
      const mhat = tf.div(m, 1 - b1 ** t);
      const denom = tf.add(tf.sqrt(tf.div(s, 1 - b2 ** t)), eps);
      v.assign(tf.sub(w, tf.mul(tf.div(mhat, denom), lr)));
    });
  }
}

export class AdamW extends Adam {
  override readonly kind: string = 'adamw';
  protected override readonly decoupled: boolean = true;
}
