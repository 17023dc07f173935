/**
 * Registers what every backend needs for the library's own ops, once, at import (as tfjs
 * registers its kernels and gradients): the gradient of each custom kernel by its name, and the
 * cpu backend's kernel of each. The native backend's kernels are registered with the backend
 * (src/engine/native/register.ts). An op file imports this module, so using an op registers it.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig } from '@tensorflow/tfjs';
import { gatherRowsCpuKernel, scatterAddCpuKernel } from './cpu/gather_rows';
import { linearCpuKernel } from './cpu/linear';
import { propagateCpuKernel, propagateEdgeGradCpuKernel } from './cpu/propagate';
import { segmentSoftmaxCpuKernel, segmentSoftmaxGradCpuKernel } from './cpu/segment_softmax';
import { spmmCpuKernel } from './cpu/spmm';
import { gatherRowsGrad, scatterAddGrad } from './ops/gather_rows_kernel';
import { linearGrad } from './ops/linear_kernel';
import { propagateGrad } from './ops/propagate_kernel';
import { segmentSoftmaxGrad } from './ops/segment_softmax_kernel';
import { spmmGrad } from './ops/spmm_kernel';

const GRADIENTS: GradConfig[] = [linearGrad, gatherRowsGrad, scatterAddGrad, propagateGrad, segmentSoftmaxGrad, spmmGrad];
const CPU_KERNELS: KernelConfig[] = [
  linearCpuKernel, gatherRowsCpuKernel, scatterAddCpuKernel, propagateCpuKernel, propagateEdgeGradCpuKernel,
  segmentSoftmaxCpuKernel, segmentSoftmaxGradCpuKernel, spmmCpuKernel,
];

let done = false;

export function registerEngineOps(): void {
  if (done) return;
  done = true;
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', true); // tfjs warns when a name is registered twice (two copies of the module in tests)
  try {
    for (const g of GRADIENTS) tf.registerGradient(g);
    for (const k of CPU_KERNELS) if (!tf.getKernel(k.kernelName, k.backendName)) tf.registerKernel(k);
  } finally {
    tf.env().set('PROD', prod);
  }
}

registerEngineOps();
