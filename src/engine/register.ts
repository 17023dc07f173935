/**
 * Registers what every backend needs for the library's own ops, once, at import (as tfjs
 * registers its kernels and gradients): the gradient of each custom kernel by its name, and the
 * cpu backend's kernel of each. The native backend's kernels are registered with the backend
 * (src/engine/native/register.ts). An op file imports this module, so using an op registers it.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig } from '@tensorflow/tfjs';
import { linearCpuKernel } from './cpu/linear';
import { linearGrad } from './ops/linear_kernel';
import { cpuEmbeddingRowKernels } from './cpu/embedding_rows';
import { registerEmbeddingRowKernels } from './ops/embedding_rows_kernel';

const GRADIENTS: GradConfig[] = [linearGrad];
const CPU_KERNELS: KernelConfig[] = [linearCpuKernel];

let done = false;

export function registerEngineOps(): void {
  if (done) return;
  done = true;
  registerEmbeddingRowKernels('cpu', cpuEmbeddingRowKernels); // array kernels: ops/embedding_rows_kernel.ts
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
