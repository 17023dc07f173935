/** Layer normalisation over the last axis (Ba et al. 2016): gamma * (x - mean) / sqrt(var + eps) + beta (fused kernels on the native backend). */
export { layerNorm } from '../../engine/ops/layer_norm';
