/** Fused activations after a matmul (the _FusedMatMul epilogue), natively where possible. */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';
import type { NativeAddon } from '../types';
import { f32, output, sizeOf } from './util';
import { UNARY_CODES } from './elementwise';

const UNARY: Record<string, number> = { relu: UNARY_CODES.Relu!, relu6: UNARY_CODES.Relu6!, elu: UNARY_CODES.Elu!, sigmoid: UNARY_CODES.Sigmoid!, tanh: UNARY_CODES.Tanh! };

export function applyActivation(addon: NativeAddon, backend: NativeBackend, x: TensorInfo, activation: string, _prelu?: TensorInfo, leakyAlpha?: number): TensorInfo | null {
  const xv = f32(backend, x);
  if (!xv) return null;
  const unary = addon.unary as ((op: number, x: Float32Array, out: Float32Array, alpha: number) => void) | undefined;
  if (!unary) return null;
  let op = UNARY[activation];
  let alpha = 0;
  if (activation === 'leakyrelu') {
    op = UNARY_CODES.LeakyRelu!;
    alpha = leakyAlpha ?? 0.2;
  }
  if (op === undefined) return null; // prelu: cpu fallback
  const out = backend.alloc(sizeOf(x.shape));
  unary(op, xv, out, alpha);
  return output(backend, x.shape, out);
}
