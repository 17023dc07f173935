/**
 * DfaTanhGrad, DfaSigmoidGrad, DfaReluGrad on the native backend: each gradient in one pass
 * (tfjs composes each from 2-3 ops). The gradients that call them: src/engine/ops/activation_grads.ts.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { GRAD_CODES, nativeBinary } from './elementwise';
import { DFA_RELU_GRAD, DFA_SIGMOID_GRAD, DFA_TANH_GRAD } from '../../ops/activation_grads';

export function activationGradKernels(addon: NativeAddon): KernelConfig[] {
  const make = (name: string, code: number): KernelConfig => ({
    kernelName: name,
    backendName: 'native',
    kernelFunc: (args) => {
      const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
      const out = nativeBinary(addon, args.backend as NativeBackend, code, dy, y);
      if (!out) throw new Error(`${name}: float32 inputs of equal shape expected`);
      return out;
    },
  });
  return [make(DFA_TANH_GRAD, GRAD_CODES.tanh), make(DFA_SIGMOID_GRAD, GRAD_CODES.sigmoid), make(DFA_RELU_GRAD, GRAD_CODES.relu)];
}
