/** DfaPositionalEncoding in JS loops (the cpu backend's; Math.sin / Math.cos in double, rounded to float32). */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { DFA_POSITIONAL_ENCODING, encodedWidth, type PositionalEncodingAttrs } from '../ops/positional_encoding_kernel';
import { f32, output } from './util';

/** The encoding of a flat [n·d] array, each encoded row written `repeat` times. */
export function positionalEncodingArray(x: Float32Array, d: number, numFreqs: number, includeInput = true, repeat = 1): Float32Array {
  const n = x.length / d;
  const w = encodedWidth(d, numFreqs, includeInput);
  const out = new Float32Array(n * repeat * w);
  for (let i = 0; i < n; i++) {
    const row = i * repeat * w;
    let o = row;
    const xi = i * d;
    if (includeInput) for (let c = 0; c < d; c++) out[o++] = x[xi + c]!;
    let f = 1;
    for (let k = 0; k < numFreqs; k++, f *= 2) {
      for (let c = 0; c < d; c++) out[o + c] = Math.sin(f * x[xi + c]!);
      for (let c = 0; c < d; c++) out[o + d + c] = Math.cos(f * x[xi + c]!);
      o += 2 * d;
    }
    for (let r = 1; r < repeat; r++) out.copyWithin(row + r * w, row, row + w);
  }
  return out;
}

export const positionalEncodingCpuKernel: KernelConfig = {
  kernelName: DFA_POSITIONAL_ENCODING,
  backendName: 'cpu',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { numFreqs, includeInput, repeat } = attrs as unknown as PositionalEncodingAttrs;
    const b = backend as MathBackendCPU;
    const [n, d] = x.shape as [number, number];
    return output(b, [n * repeat, encodedWidth(d, numFreqs, includeInput)], positionalEncodingArray(f32(b, x), d, numFreqs, includeInput, repeat));
  },
};
