/**
 * Adam (Kingma & Ba, PyTorch semantics, L2 weight decay added to the gradient) and AdamW
 * (Loshchilov & Hutter: decoupled decay, w -= lr·wd·w, before the Adam step).
 */
import type * as tf from '@tensorflow/tfjs';
import { Optimizer, type OptimizerOptions } from './optimizer';
import { adamStep } from '../engine/optim_step';

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
    const m = this.slot(v, 'm'), s = this.slot(v, 'v');
    const next = adamStep(v, g, m, s, t, { lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: wd, decoupled: this.decoupled });
    if (next.m !== m) this.setSlot(v, 'm', next.m);
    if (next.s !== s) this.setSlot(v, 'v', next.s);
  }
}

export class AdamW extends Adam {
  override readonly kind: string = 'adamw';
  protected override readonly decoupled: boolean = true;
}
