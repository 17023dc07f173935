/** Every native kernel override, each falling back to the cpu kernel for cases it does not take. */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import type { NativeAddon } from '../types';
import { batchMatMulConfig, fusedMatMulConfig } from './batch_mat_mul';
import { UNARY_CODES, BINARY_CODES, unaryConfig, binaryConfig, addNConfig } from './elementwise';
import { reduceConfig } from './reduce';
import { softmaxConfig } from './softmax';
import { gatherConfig, unsortedSegmentSumConfig } from './gather';
import { transposeConfig, sliceConfig, splitVConfig, tileConfig } from './copy';
import { conv2DConfig, conv2DBackpropFilterConfig, conv2DBackpropInputConfig, fusedConv2DConfig } from './conv';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig, depthwiseConv2dConfig } from './depthwise';
import { avgPoolGradConfig, maxPoolGradConfig, poolConfig } from './pool';

export function cpuKernel(name: string): KernelFunc {
  const k = tf.getKernel(name, 'cpu');
  if (!k) throw new Error(`tfjs cpu backend has no kernel ${name}`);
  return k.kernelFunc;
}

/** Kernel names with a native implementation (used by the parity tests). */
export const NATIVE_KERNEL_NAMES = [
  'BatchMatMul', '_FusedMatMul', ...Object.keys(UNARY_CODES), ...Object.keys(BINARY_CODES), 'AddN',
  'Sum', 'Mean', 'Max', 'Min', 'Prod', 'Softmax', 'GatherV2', 'UnsortedSegmentSum', 'Transpose', 'Slice', 'SplitV',
  'Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter',
  'DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter',
  'MaxPool', 'AvgPool', 'MaxPoolGrad', 'AvgPoolGrad', 'Tile',
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
    conv2DConfig(addon, cpuKernel('Conv2D')),
    fusedConv2DConfig(addon, cpuKernel('FusedConv2D')),
    conv2DBackpropInputConfig(addon, cpuKernel('Conv2DBackpropInput')),
    conv2DBackpropFilterConfig(addon, cpuKernel('Conv2DBackpropFilter')),
    depthwiseConv2dConfig(addon, cpuKernel('DepthwiseConv2dNative')),
    depthwiseBackpropInputConfig(addon, cpuKernel('DepthwiseConv2dNativeBackpropInput')),
    depthwiseBackpropFilterConfig(addon, cpuKernel('DepthwiseConv2dNativeBackpropFilter')),
    poolConfig(addon, 'MaxPool', cpuKernel('MaxPool')),
    poolConfig(addon, 'AvgPool', cpuKernel('AvgPool')),
    maxPoolGradConfig(addon, cpuKernel('MaxPoolGrad')),
    avgPoolGradConfig(addon, cpuKernel('AvgPoolGrad')),
    tileConfig(addon, cpuKernel('Tile')),
  ];
}
