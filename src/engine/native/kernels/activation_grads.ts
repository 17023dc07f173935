/**
 * One-kernel gradients for tanh, sigmoid and relu on the native backend. tfjs composes each from
 * 2-3 ops (e.g. tanh: dy · (1 − y²) = Square, Sub, Multiply), each allocating a tensor the size
 * of the activation; on the native backend the gradient is one pass. On every other backend the
 * gradient is tfjs's own formula, unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { GRAD_CODES, nativeBinary } from './elementwise';

const GRAD_KERNEL: Record<string, string> = { Tanh: 'DfaTanhGrad', Sigmoid: 'DfaSigmoidGrad', Relu: 'DfaReluGrad' };

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
  return [make('DfaTanhGrad', GRAD_CODES.tanh), make('DfaSigmoidGrad', GRAD_CODES.sigmoid), make('DfaReluGrad', GRAD_CODES.relu)];
}

/** Replaces the three gradients (tfjs's formula kept for other backends). Call once. */
export function registerActivationGrads(nativeName: string): void {
  const configs: GradConfig[] = [
    {
      kernelName: 'Tanh',
      outputsToSave: [true],
      gradFunc: (dy, saved) => {
        const [y] = saved as tf.Tensor[];
        return { x: () => (useNative(nativeName, dy as tf.Tensor, y!) ? run('Tanh', dy as tf.Tensor, y!) : tf.mul(tf.sub(tf.scalar(1), tf.square(y!)), dy as tf.Tensor)) };
      },
    },
    {
      kernelName: 'Sigmoid',
      outputsToSave: [true],
      gradFunc: (dy, saved) => {
        const [y] = saved as tf.Tensor[];
        return { x: () => (useNative(nativeName, dy as tf.Tensor, y!) ? run('Sigmoid', dy as tf.Tensor, y!) : tf.mul(dy as tf.Tensor, tf.mul(y!, tf.sub(tf.scalar(1), y!)))) };
      },
    },
    {
      kernelName: 'Relu',
      inputsToSave: ['x'],
      gradFunc: (dy, saved) => {
        const [x] = saved as tf.Tensor[];
        return { x: () => (useNative(nativeName, dy as tf.Tensor, x!) ? run('Relu', dy as tf.Tensor, x!) : tf.mul(dy as tf.Tensor, tf.cast(tf.step(x!), 'float32'))) };
      },
    },
  ];
  // tfjs warns when a gradient is replaced; this replacement is deliberate.
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', true);
  try {
    for (const c of configs) tf.registerGradient(c);
  } finally {
    tf.env().set('PROD', prod);
  }
}

function useNative(nativeName: string, dy: tf.Tensor, y: tf.Tensor): boolean {
  return tf.getBackend() === nativeName && dy.dtype === 'float32' && y.dtype === 'float32' && dy.size === y.size && dy.rank === y.rank;
}

function run(op: string, dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  return tf.engine().runKernel(GRAD_KERNEL[op]!, { dy, y }) as tf.Tensor;
}
