/**
 * The DfaPositionalEncoding kernel: x [n, d] -> [n·repeat, d·(includeInput + 2L)], NeRF's
 * γ(x) = [x, sin(2^0 x), cos(2^0 x), ..., sin(2^{L-1} x), cos(2^{L-1} x)] per row
 * (frequency-major, nerf's Embedder: include_input, log sampling, no π), each row repeated
 * `repeat` times. sin and cos are taken in double precision and rounded to float32 on every
 * backend (native: native/src/nerf.c; cpu: JS loops, src/engine/cpu/positional_encoding.ts), so
 * both give the same values. No gradient: the encoded positions and directions are data.
 */
import type { NamedAttrMap } from '@tensorflow/tfjs';

export const DFA_POSITIONAL_ENCODING = 'DfaPositionalEncoding';

export interface PositionalEncodingAttrs {
  numFreqs: number;
  includeInput: boolean;
  repeat: number;
}

export const asAttrs = (a: PositionalEncodingAttrs) => a as unknown as NamedAttrMap;

export function encodedWidth(inputDims: number, numFreqs: number, includeInput = true): number {
  return inputDims * (2 * numFreqs + (includeInput ? 1 : 0));
}
