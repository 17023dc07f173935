/** Fused activations after a matmul (the _FusedMatMul epilogue), natively where possible. */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';

const UNARY: Record<string, string> = { relu: 'relu', relu6: 'relu6', elu: 'elu', sigmoid: 'sigmoid', tanh: 'tanh' };

export function applyActivation(addon: NativeAddon, backend: NativeBackend, x: TensorInfo, activation: string, _prelu?: TensorInfo, leakyAlpha?: number): TensorInfo | null {
  const xv = f32(backend, x);
  if (!xv) return null;
  const unary = addon.unary as ((op: string, x: Float32Array, out: Float32Array, alpha: number) => void) | undefined;
  if (!unary) return null;
  let op = UNARY[activation];
  let alpha = 0;
  if (activation === 'leakyrelu') {
    op = 'leakyrelu';
    alpha = leakyAlpha ?? 0.2;
  }
  if (!op) return null; // prelu: cpu fallback
  const out = backend.alloc(sizeOf(x.shape));
  unary(op, xv, out, alpha);
  return output(backend, x.shape, out);
}
