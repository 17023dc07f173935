/**
 * NeRF's positional encoding as an op (the DfaPositionalEncoding kernel,
 * positional_encoding_kernel.ts): x [n, d] -> [n·repeat, d·(includeInput + 2L)], every row
 * repeated `repeat` times (a ray's viewing direction for each of its samples). Not differentiable.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { asAttrs, DFA_POSITIONAL_ENCODING } from './positional_encoding_kernel';

export { encodedWidth } from './positional_encoding_kernel';

export function positionalEncoding(x: tf.Tensor2D, numFreqs: number, opts: { includeInput?: boolean; repeat?: number } = {}): tf.Tensor2D {
  const repeat = opts.repeat ?? 1;
  if (x.rank !== 2) throw new Error(`positionalEncoding: x must be [n, d], got [${x.shape}]`);
  if (!Number.isInteger(numFreqs) || numFreqs < 0) throw new Error(`positionalEncoding: numFreqs must be an integer >= 0, got ${numFreqs}`);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`positionalEncoding: repeat must be a positive integer, got ${repeat}`);
  const x32 = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  const out = tf.engine().runKernel(DFA_POSITIONAL_ENCODING, { x: x32 }, asAttrs({ numFreqs, includeInput: opts.includeInput ?? true, repeat })) as tf.Tensor2D;
  if (x32 !== x) x32.dispose();
  return out;
}
