/**
 * The DfaBatchNorm kernel (training mode): x [N, C], gamma [C], beta [C] -> y [N, C] and the
 * batch's mean and biased variance [C]. Its gradient (registered by name) is the DfaBatchNormGrad
 * kernel: one pass natively (src/engine/native/kernels/recsys.ts); on tfjs's backends the
 * composite's autodiff (src/engine/cpu/batch_norm.ts). mean and variance carry no gradient (the
 * caller updates running statistics from them).
 */
import { normGrad } from './norm_grad';

export const DFA_BATCH_NORM = 'DfaBatchNorm';
export const DFA_BATCH_NORM_GRAD = 'DfaBatchNormGrad';

export const batchNormGrad = normGrad(DFA_BATCH_NORM, DFA_BATCH_NORM_GRAD, ['mean', 'variance']);
