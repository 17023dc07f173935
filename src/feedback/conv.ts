/**
 * The convolution as the Feedback sees it: y = conv(x, W) + b over NHWC images (x [N, H, W, C_in],
 * W [KH, KW, C_in, C_out]) as one recorded op whose backward asks for each input's gradient
 * lazily (as tfjs's Conv2D gradient does), so a convolution fed by data or by a detached DFA
 * feedback point never runs its input-gradient convolution. The input's gradient is the
 * input-gradient convolution (Conv2DBackpropInput) of dy with a kernel the caller gives: W itself
 * (the true gradient) or a layer-wise method's feedback kernel B shaped like W (layerwise.ts):
 * FA's dx = conv2d-backprop-input(dy, B) is to a convolution what dy · B is to a dense layer.
 */
import * as tf from '@tensorflow/tfjs';
import { customOp } from './tape';

/** Stride and padding of a convolution (tfjs's conv2d spelling). */
export interface ConvGeometry {
  strides: [number, number];
  /** 'same', 'valid' or zero rows/columns on every side */
  pad: 'same' | 'valid' | number;
}

/**
 * conv(x, W) + b (b optional) whose x-gradient is conv2d-backprop-input(dy, inputKernel()), W and
 * b getting their true gradients. The forward is tfjs's fused conv2d (the bias in the
 * convolution's own pass). Dilation is not supported (tfjs has no dilated input gradient).
 */
export function convOp(x: tf.Tensor4D, W: tf.Tensor4D, b: tf.Tensor | undefined, g: ConvGeometry, inputKernel: () => tf.Tensor): tf.Tensor4D {
  const attrs = { strides: g.strides, pad: g.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
  const inputs: Record<string, tf.Tensor> = { x, W };
  if (b) inputs.b = b;
  return customOp(
    inputs,
    (save) => {
      save([x]);
      return tf.fused.conv2d({ x, filter: W, bias: b, strides: g.strides, pad: g.pad as 'same' });
    },
    (dy, saved) => ({
      x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: inputKernel() }, { ...attrs, inputShape: x.shape } as never) as tf.Tensor,
      W: () => tf.engine().runKernel('Conv2DBackpropFilter', { x: saved[0]!, dy }, { ...attrs, filterShape: W.shape } as never) as tf.Tensor,
      b: () => tf.sum(dy, [0, 1, 2]),
    }),
  ) as tf.Tensor4D;
}
