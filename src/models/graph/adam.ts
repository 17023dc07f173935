/**
 * Adam with L2 weight decay added to the gradient, per parameter group: PyTorch's
 * `torch.optim.Adam([{params, weight_decay}, ...], lr)`, which the paper's graph code uses
 * (weight decay on the first layer only for GCN / Cheb). Runs on the float32 data directly.
 */
import * as tf from '@tensorflow/tfjs';

export interface ParamGroup {
  params: tf.Variable[];
  weightDecay: number;
}

export class AdamL2 {
  private m = new Map<tf.Variable, Float32Array>();
  private v = new Map<tf.Variable, Float32Array>();
  private t = 0;
  constructor(readonly groups: ParamGroup[], readonly lr: number, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly eps = 1e-8) {}

  /** One step; a variable without a gradient (undefined) is left alone, as PyTorch skips None. */
  step(grads: Map<tf.Variable, tf.Tensor | undefined>): void {
    this.t++;
    const bc1 = 1 - this.beta1 ** this.t, bc2 = 1 - this.beta2 ** this.t;
    for (const g of this.groups) {
      for (const p of g.params) {
        const gt = grads.get(p);
        if (!gt) continue;
        const gv = gt.dataSync() as Float32Array;
        const pv = Float32Array.from(p.dataSync() as Float32Array);
        let m = this.m.get(p), v = this.v.get(p);
        if (!m || !v) {
          m = new Float32Array(pv.length);
          v = new Float32Array(pv.length);
          this.m.set(p, m);
          this.v.set(p, v);
        }
        const wd = g.weightDecay, b1 = this.beta1, b2 = this.beta2, lr = this.lr, eps = this.eps;
        const sc = lr / bc1, sq = Math.sqrt(bc2);
        for (let i = 0; i < pv.length; i++) {
          const gi = gv[i]! + wd * pv[i]!;
          m[i] = b1 * m[i]! + (1 - b1) * gi;
          v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
          pv[i] = pv[i]! - (sc * m[i]!) / (Math.sqrt(v[i]!) / sq + eps);
        }
        tf.tidy(() => p.assign(tf.tensor(pv, p.shape)));
      }
    }
  }
}
