/**
 * Registers the 'native' backend: tfjs-backend-cpu's MathBackendCPU (with a buffer pool) under a
 * new name, every cpu kernel re-registered for it, then the native kernels on top.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeAddon } from './types';
import { NativeBackend } from './native_backend';
import { nativeKernels } from './kernels/index';
import { activationGradKernels, registerActivationGrads } from './kernels/activation_grads';
import { transformerKernels } from './kernels/transformer';
import { recsysKernels } from './kernels/recsys';
import { nativeEmbeddingRowKernels } from './kernels/embedding_rows';
import { registerEmbeddingRowKernels } from '../ops/embedding_rows_kernel';

export { NATIVE_BACKEND } from './name';
import { NATIVE_BACKEND } from './name';
let registered = false;

export function registerNativeBackend(addon: NativeAddon): void {
  if (registered) return;
  registered = true;
  tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(addon), 3);
  const overrides = [...nativeKernels(addon), ...activationGradKernels(addon), ...transformerKernels(addon), ...recsysKernels(addon)];
  const overridden = new Set(overrides.map((k) => k.kernelName));
  // every cpu kernel (tfjs's and the library's own) runs on native too, unless native has its own
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (!overridden.has(k.kernelName)) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  }
  for (const k of overrides) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  registerActivationGrads(NATIVE_BACKEND);
  registerEmbeddingRowKernels(NATIVE_BACKEND, nativeEmbeddingRowKernels(addon));
}
