/**
 * Registers what every backend needs for the library's own ops, once, at import (as tfjs
 * registers its kernels and gradients): the gradient of each custom kernel by its name (and the
 * one-kernel gradients of Tanh, Sigmoid, Relu), and each kernel for tfjs's own backends: 'cpu',
 * and 'webgl' for the browser playground (those kernels are tfjs ops, src/engine/cpu/kernel.ts).
 * The native backend's kernels are registered with the backend (src/engine/native/register.ts).
 * An op file imports this module, so using an op registers it.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig } from '@tensorflow/tfjs';
import { linearGrad } from './ops/linear_kernel';
import { cpuEmbeddingRowKernels } from './cpu/embedding_rows';
import { registerEmbeddingRowKernels } from './ops/embedding_rows_kernel';
import { layerNormGrad } from './ops/layer_norm_kernel';
import { dropoutGrad } from './ops/dropout_kernel';
import { scaledSoftmaxGrad } from './ops/scaled_softmax_kernel';
import { causalAttentionGrad } from './ops/causal_attention_kernel';
import { batchNormGrad } from './ops/batch_norm_kernel';
import { lnnActivationGrad } from './ops/lnn_activation_kernel';
import { crossLayerGrad } from './ops/cross_layer_kernel';
import { logSoftmaxGrad } from './ops/log_softmax_kernel';
import { sparseSoftmaxCEGrad } from './ops/sparse_softmax_cross_entropy_kernel';
import { activationGrads } from './ops/activation_grads';
import { linearCpuKernel } from './cpu/linear';
import { layerNormCpuKernels } from './cpu/layer_norm';
import { dropoutCpuKernel } from './cpu/dropout';
import { scaledSoftmaxCpuKernels } from './cpu/scaled_softmax';
import { causalAttentionCpuKernels } from './cpu/causal_attention';
import { batchNormCpuKernels } from './cpu/batch_norm';
import { lnnActivationCpuKernels } from './cpu/lnn_activation';
import { crossLayerCpuKernels } from './cpu/cross_layer';
import { logSoftmaxCpuKernel } from './cpu/log_softmax';
import { sparseSoftmaxCECpuKernel } from './cpu/sparse_softmax_cross_entropy';
import { activationGradCpuKernels } from './cpu/activation_grads';
import { gatherRowsCpuKernel, scatterAddCpuKernel } from './cpu/gather_rows';
import { propagateCpuKernel, propagateEdgeGradCpuKernel } from './cpu/propagate';
import { segmentSoftmaxCpuKernel, segmentSoftmaxGradCpuKernel } from './cpu/segment_softmax';
import { spmmCpuKernel } from './cpu/spmm';
import { gatherRowsGrad, scatterAddGrad } from './ops/gather_rows_kernel';
import { propagateGrad } from './ops/propagate_kernel';
import { segmentSoftmaxGrad } from './ops/segment_softmax_kernel';
import { spmmGrad } from './ops/spmm_kernel';
import { linearReluGrads } from './ops/linear_relu_kernel';
import { linearReluCpuKernels } from './cpu/linear_relu';
import { positionalEncodingCpuKernel } from './cpu/positional_encoding';

const GRADIENTS: GradConfig[] = [
  linearGrad, layerNormGrad, dropoutGrad, scaledSoftmaxGrad, causalAttentionGrad, batchNormGrad, lnnActivationGrad, crossLayerGrad,
  logSoftmaxGrad, sparseSoftmaxCEGrad, ...activationGrads, gatherRowsGrad, scatterAddGrad, propagateGrad, segmentSoftmaxGrad, spmmGrad, ...linearReluGrads,
];

/** Every custom kernel, as its 'cpu' config; the native backend registers one of each name. */
export const CPU_KERNELS: KernelConfig[] = [
  linearCpuKernel, ...layerNormCpuKernels, dropoutCpuKernel, ...scaledSoftmaxCpuKernels, ...causalAttentionCpuKernels,
  ...batchNormCpuKernels, ...lnnActivationCpuKernels, ...crossLayerCpuKernels, logSoftmaxCpuKernel, sparseSoftmaxCECpuKernel, ...activationGradCpuKernels,
  ...linearReluCpuKernels,
];

/** tfjs's backends the tfjs-op kernels serve. */
const TFJS_BACKENDS = ['cpu', 'webgl'];

/** Kernels written as JS loops over the cpu backend's arrays (graph message passing): cpu only. */
const CPU_ONLY_KERNELS: KernelConfig[] = [
  gatherRowsCpuKernel, scatterAddCpuKernel, propagateCpuKernel, propagateEdgeGradCpuKernel, segmentSoftmaxCpuKernel, segmentSoftmaxGradCpuKernel, spmmCpuKernel, positionalEncodingCpuKernel,
];

let done = false;

export function registerEngineOps(): void {
  if (done) return;
  done = true;
  registerEmbeddingRowKernels('cpu', cpuEmbeddingRowKernels); // array kernels: ops/embedding_rows_kernel.ts
  const prod = tf.env().getBool('PROD');
  // tfjs warns when a name is registered twice (two copies of the module in tests) and when a gradient is replaced (Tanh, Sigmoid, Relu: deliberate)
  tf.env().set('PROD', true);
  try {
    for (const g of GRADIENTS) tf.registerGradient(g);
    for (const k of CPU_KERNELS) {
      for (const backendName of TFJS_BACKENDS) if (!tf.getKernel(k.kernelName, backendName)) tf.registerKernel({ ...k, backendName });
    }
    for (const k of CPU_ONLY_KERNELS) if (!tf.getKernel(k.kernelName, 'cpu')) tf.registerKernel({ ...k, backendName: 'cpu' });
  } finally {
    tf.env().set('PROD', prod);
  }
}

registerEngineOps();
