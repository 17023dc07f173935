/**
 * NeRF's positional encoding: γ(x) = [x, sin(2^0 x), cos(2^0 x), ..., sin(2^{L-1} x), cos(2^{L-1} x)]
 * applied per coordinate, frequency-major as nerf's `Embedder` (include_input, log sampling, no π).
 * Output width d·(1 + 2L): 63 for positions (L = 10), 27 for directions (L = 4). The op is the
 * engine's (src/engine/ops/positional_encoding.ts: native natively, JS loops on tfjs cpu, the
 * same values); `positionalEncodingArray` is its JS form on a flat array.
 */
export { encodedWidth, positionalEncoding } from '../../../engine/ops/positional_encoding';
export { positionalEncodingArray } from '../../../engine/cpu/positional_encoding';
