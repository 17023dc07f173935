/** Every native kernel override, each falling back to the cpu kernel for cases it does not take. */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import type { NativeAddon } from '../types';
import { batchMatMulConfig, fusedMatMulConfig } from './batch_mat_mul';

export function cpuKernel(name: string): KernelFunc {
  const k = tf.getKernel(name, 'cpu');
  if (!k) throw new Error(`tfjs cpu backend has no kernel ${name}`);
  return k.kernelFunc;
}

export function nativeKernels(addon: NativeAddon): KernelConfig[] {
  return [
    batchMatMulConfig(addon, cpuKernel(tf.BatchMatMul)),
    fusedMatMulConfig(addon, cpuKernel(tf._FusedMatMul)),
  ];
}
