/**
 * The DfaCross kernel (Deep&Cross's cross layer): x0, x [B, D], w [D, 1], b [D] -> y [B, D] =
 * x0 ∘ (x·w) + b + x, and xw = x·w [B, 1] (kept for the gradient). Its gradient (registered by
 * name) is lazy per input, so a layer whose inputs are detached feedback points (DFA) forms only
 * dw and db:
 *   x0: dy ∘ xw (Multiply, as tfjs's gradient of the composite)
 *   x:  DfaCrossGradX: dy + g ⊗ w, g = Σ_j dy ∘ x0 per row
 *   w:  DfaCrossGradW: xᵀ·g
 *   b:  Σ_rows dy (Sum, as the composite)
 * Native: one pass each (native/src/recsys.c, the composite's rounding bit for bit); tfjs's
 * backends: the composite's ops (src/engine/cpu/cross_layer.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig } from '@tensorflow/tfjs';

export const DFA_CROSS = 'DfaCross';
export const DFA_CROSS_GRAD_X = 'DfaCrossGradX';
export const DFA_CROSS_GRAD_W = 'DfaCrossGradW';

export const crossLayerGrad: GradConfig = {
  kernelName: DFA_CROSS,
  inputsToSave: ['x0', 'x', 'w'],
  outputsToSave: [false, true],
  gradFunc: (dys, saved) => {
    const [x0, x, w, xw] = saved as tf.Tensor2D[];
    const dy = (dys as tf.Tensor[])[0] as tf.Tensor2D;
    return {
      x0: () => tf.mul(dy, xw!),
      x: () => tf.engine().runKernel(DFA_CROSS_GRAD_X, { dy, x0: x0!, w: w! }) as tf.Tensor,
      w: () => tf.engine().runKernel(DFA_CROSS_GRAD_W, { dy, x0: x0!, x: x! }) as tf.Tensor,
      b: () => tf.sum(dy, 0),
    };
  },
};
