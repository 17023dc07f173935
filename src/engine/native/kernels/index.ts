/** Every native kernel override, each falling back to the cpu kernel for cases it does not take. */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import type { NativeAddon } from '../types';
import { batchMatMulConfig, fusedMatMulConfig } from './batch_mat_mul';
import { UNARY_CODES, BINARY_CODES, unaryConfig, binaryConfig, addNConfig } from './elementwise';
import { reduceConfig } from './reduce';
import { softmaxConfig } from './softmax';
import { gatherConfig, unsortedSegmentSumConfig } from './gather';
import { transposeConfig, sliceConfig, splitVConfig } from './copy';

export function cpuKernel(name: string): KernelFunc {
  const k = tf.getKernel(name, 'cpu');
  if (!k) throw new Error(`tfjs cpu backend has no kernel ${name}`);
  return k.kernelFunc;
}

/** Kernel names with a native implementation (used by the parity tests). */
export const NATIVE_KERNEL_NAMES = [
  'BatchMatMul', '_FusedMatMul', ...Object.keys(UNARY_CODES), ...Object.keys(BINARY_CODES), 'AddN',
  'Sum', 'Mean', 'Max', 'Min', 'Prod', 'Softmax', 'GatherV2', 'UnsortedSegmentSum', 'Transpose', 'Slice', 'SplitV',
];

export function nativeKernels(addon: NativeAddon): KernelConfig[] {
  const has = (n: string) => tf.getKernel(n, 'cpu') !== undefined;
  return [
    batchMatMulConfig(addon, cpuKernel('BatchMatMul')),
    fusedMatMulConfig(addon, cpuKernel('_FusedMatMul')),
    ...Object.keys(UNARY_CODES).filter(has).map((n) => unaryConfig(addon, n, cpuKernel(n))),
    ...Object.keys(BINARY_CODES).filter(has).map((n) => binaryConfig(addon, n, cpuKernel(n))),
    addNConfig(addon, cpuKernel('AddN')),
    ...['Sum', 'Mean', 'Max', 'Min', 'Prod'].filter(has).map((n) => reduceConfig(addon, n, cpuKernel(n))),
    softmaxConfig(addon, cpuKernel('Softmax')),
    gatherConfig(addon, cpuKernel('GatherV2')),
    unsortedSegmentSumConfig(addon, cpuKernel('UnsortedSegmentSum')),
    transposeConfig(addon, cpuKernel('Transpose')),
    sliceConfig(addon, cpuKernel('Slice')),
    splitVConfig(addon, cpuKernel('SplitV')),
  ];
}
