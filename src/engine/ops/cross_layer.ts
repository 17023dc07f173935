/**
 * Deep&Cross's cross layer (torchfm CrossNetwork): y = x0 ∘ (x·w) + b + x for x0, x [B, D],
 * w [D, 1], b [D], as one DfaCross kernel each way (cross_layer_kernel.ts) instead of tfjs's four
 * kernels forward and about ten backward; the same numbers as the composite, bit for bit on each
 * backend. Other dtypes or shapes: the composite.
 */
import * as tf from '@tensorflow/tfjs';
import '../register';
import { crossLayerComposite } from '../cpu/cross_layer';
import { DFA_CROSS } from './cross_layer_kernel';

export function crossLayer(x0: tf.Tensor2D, x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const [B, D] = x.shape;
  const fits = x0.rank === 2 && x0.shape[0] === B && x0.shape[1] === D && w.shape.join() === `${D},1` && b.shape.join() === `${D}`;
  if (!fits || [x0, x, w, b].some((t) => t.dtype !== 'float32')) return crossLayerComposite(x0, x, w as tf.Tensor2D, b).y;
  const [y, xw] = tf.engine().runKernel(DFA_CROSS, { x0, x, w, b }) as tf.Tensor2D[];
  xw!.dispose(); // the tape keeps its own copy for the gradient
  return y!;
}
