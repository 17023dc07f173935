/**
 * Registers the 'native' backend: tfjs-backend-cpu's MathBackendCPU (with a buffer pool) under a
 * new name, every cpu kernel re-registered for it, then the native kernels on top: overrides of
 * tfjs kernels, and one of each of the library's own kernels (whose gradients src/engine/register.ts
 * registers for every backend).
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import type { NativeAddon } from './types';
import { NativeBackend } from './native_backend';
import { nativeKernels } from './kernels/index';
import { activationGradKernels } from './kernels/activation_grads';
import { transformerKernels } from './kernels/transformer';
import { recsysKernels } from './kernels/recsys';
import { nativeEmbeddingRowKernels } from './kernels/embedding_rows';
import { registerEmbeddingRowKernels } from '../ops/embedding_rows_kernel';
import { lossKernels } from './kernels/softmax';
import { graphKernels } from './kernels/graph';
import { nerfKernels } from './kernels/nerf';

export { NATIVE_BACKEND } from './name';
import { NATIVE_BACKEND } from './name';
let registered = false;

export function registerNativeBackend(addon: NativeAddon): void {
  if (registered) return;
  registered = true;
  tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(addon), 3);
  const own = [...nativeKernels(addon), ...activationGradKernels(addon), ...transformerKernels(addon), ...recsysKernels(addon), ...lossKernels(addon), ...graphKernels(), ...nerfKernels(addon)];
  const overridden = new Set(own.map((k) => k.kernelName));
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (!overridden.has(k.kernelName)) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  }
  for (const k of own) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  registerEmbeddingRowKernels(NATIVE_BACKEND, nativeEmbeddingRowKernels(addon));
}
