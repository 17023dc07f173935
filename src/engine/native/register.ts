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
import { graphKernels } from './kernels/graph';

export { NATIVE_BACKEND } from './name';
import { NATIVE_BACKEND } from './name';
let registered = false;

export function registerNativeBackend(addon: NativeAddon): void {
  if (registered) return;
  registered = true;
  tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(addon), 3);
  const overrides = [...nativeKernels(addon), ...graphKernels()];
  const overridden = new Set(overrides.map((k) => k.kernelName));
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (!overridden.has(k.kernelName)) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  }
  for (const k of overrides) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  for (const k of activationGradKernels(addon)) tf.registerKernel(k);
  for (const k of transformerKernels(addon)) tf.registerKernel(k);
  for (const k of recsysKernels(addon)) tf.registerKernel(k);
  registerActivationGrads(NATIVE_BACKEND);
}
