/**
 * The DfaLayerNorm kernel: x [..., C], gamma [C], beta [C] -> y (like x), mean and rstd [rows] (1 /
 * sqrt(var + eps)), kept for the backward. Its gradient (registered by name) is the
 * DfaLayerNormGrad kernel: dx, dgamma, dbeta in one pass natively (src/engine/native/kernels/
 * transformer.ts); on tfjs's backends the composite's autodiff (src/engine/cpu/layer_norm.ts).
 * mean and rstd carry no gradient.
 */
import { normGrad } from './norm_grad';

export const DFA_LAYER_NORM = 'DfaLayerNorm';
export const DFA_LAYER_NORM_GRAD = 'DfaLayerNormGrad';

export const layerNormGrad = normGrad(DFA_LAYER_NORM, DFA_LAYER_NORM_GRAD, ['mean', 'rstd']);
