/** Shared plumbing for native kernels: reading inputs' float32 data and making outputs. */
import type { TensorInfo } from '@tensorflow/tfjs';
import type { NativeBackend } from '../native_backend';

export function f32(backend: NativeBackend, t: TensorInfo): Float32Array | null {
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : null;
}

/** f32, or an error naming the kernel (fused kernels take float32 inputs only). */
export function values(backend: NativeBackend, t: TensorInfo, kernel: string): Float32Array {
  const v = t.dtype === 'float32' ? f32(backend, t) : null;
  if (!v) throw new Error(`${kernel}: float32 inputs expected`);
  return v;
}

export function output(backend: NativeBackend, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}

export function sizeOf(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
