/**
 * The 2-d convolution layer over NHWC images (x [N, H, W, C_in], filter [KH, KW, C_in, C_out] as
 * tfjs's conv2d takes it), with seeded weights like Linear.
 *
 * While gradients are recorded it runs conv + bias as one recorded op whose gradient asks for each
 * input's gradient lazily (as tfjs's Conv2D gradient does: the Feedback's convolution, which gives
 * the layer-wise methods' feedback kernel when `apply` gets the Feedback), then the activation: a
 * convolution fed by data, or by a detached DFA feedback point, never runs its input-gradient convolution
 * (Conv2DBackpropInput), as a Linear after a point never forms Wᵀδ. tfjs's fused conv2d would
 * compute that gradient regardless, so it serves only forwards without a tape (evaluation),
 * where it also applies the activation in the convolution's pass.
 */
import { WeightBias } from './weight_bias';
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../engine/rng';
import type { Feedback } from '../feedback';
import { convOp } from '../feedback/conv';
import { activation as activationFn } from './activations';
import { type InitKind, initBias, initWeights } from './init';

/** Activations the fused inference path applies inside the convolution kernel. */
export type ConvActivation = 'linear' | 'relu' | 'elu' | 'sigmoid' | 'tanh';

export interface Conv2dOptions {
  inChannels: number;
  outChannels: number;
  /** KH = KW = k, or [KH, KW] */
  kernelSize: number | [number, number];
  stride?: number | [number, number];
  /** 'same' (default), 'valid' or a number of zero rows/columns on every side */
  padding?: 'same' | 'valid' | number;
  dilation?: number | [number, number];
  /** W then b are drawn from this stream, in that order */
  rng: Rng;
  /**
   * 'he' (default: N(0, 2/fanIn), for ReLU nets), 'glorot' (U(±sqrt(6/(fanIn+fanOut))) with
   * fanIn = KH·KW·C_in, fanOut = KH·KW·C_out, as Keras), 'lecun', or 'torch' (PyTorch's
   * nn.Conv2d: W and b ~ U(±1/sqrt(fanIn)))
   */
  init?: InitKind;
  bias?: boolean;
  /** the layer's name (checkpoint keys) */
  name: string;
}

export class Conv2d extends WeightBias {
  readonly W: tf.Variable;
  readonly b: tf.Variable | undefined;
  readonly name: string;
  readonly stride: [number, number];
  readonly padding: 'same' | 'valid' | number;
  readonly dilation: [number, number];

  constructor(o: Conv2dOptions) {
    super();
    const [kh, kw] = pair(o.kernelSize, 'kernelSize', o.name);
    for (const k of ['inChannels', 'outChannels'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`Conv2d '${o.name}': ${k} must be a positive integer, got ${o[k]}`);
    }
    this.name = o.name;
    this.stride = pair(o.stride ?? 1, 'stride', o.name);
    this.dilation = pair(o.dilation ?? 1, 'dilation', o.name);
    if (this.dilation.some((d) => d > 1) && this.stride.some((s) => s > 1)) {
      throw new Error(`Conv2d '${o.name}': stride and dilation cannot both exceed 1 (tfjs's conv2d allows one or the other)`);
    }
    const padding = o.padding ?? 'same';
    if (padding !== 'same' && padding !== 'valid' && !(Number.isInteger(padding) && padding >= 0)) {
      throw new Error(`Conv2d '${o.name}': padding must be 'same', 'valid' or a non-negative integer, got ${String(padding)}`);
    }
    this.padding = padding;
    const init = o.init ?? 'he';
    const fanIn = kh * kw * o.inChannels;
    const fanOut = kh * kw * o.outChannels;
    const shape: [number, number, number, number] = [kh, kw, o.inChannels, o.outChannels];
    const w = init === 'glorot'
      ? o.rng.uniformArray(fanIn * o.outChannels, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut)))
      : initWeights(init, o.rng, fanIn, o.outChannels, fanIn);
    this.W = tf.tidy(() => tf.variable(tf.tensor4d(w, shape)));
    this.b = o.bias === false ? undefined : tf.tidy(() => tf.variable(tf.tensor1d(initBias(init, o.rng, fanIn, o.outChannels))));
  }

  get inChannels(): number {
    return this.W.shape[2]!;
  }

  get outChannels(): number {
    return this.W.shape[3]!;
  }

  /**
   * act(conv(x, W) + b) for x [N, H, W, C_in]; returns [N, H', W', C_out]. Through `fb` when it
   * treats weight layers (fa, usf, brsf, frsf: the input gradient through the layer's feedback
   * kernel, by the layer's name); the same op otherwise.
   */
  apply(x: tf.Tensor, act: ConvActivation = 'linear', fb?: Feedback | null): tf.Tensor4D {
    if (x.rank !== 4 || x.shape[3] !== this.inChannels) {
      throw new Error(`Conv2d '${this.name}': input must be [N, H, W, ${this.inChannels}] (NHWC), got [${x.shape}]`);
    }
    const x4 = x as tf.Tensor4D;
    const pad = this.padding as 'same';
    if (!recording() && act !== 'tanh') { // tfjs's cpu fused kernels have no tanh
      return tf.fused.conv2d({ x: x4, filter: this.W as tf.Tensor4D, strides: this.stride, pad, dilations: this.dilation, bias: this.b, activation: act as 'relu' });
    }
    let y: tf.Tensor;
    if (fb?.usesFa()) {
      if (this.dilation.some((d) => d > 1)) throw new Error(`Conv2d '${this.name}': ${fb.method} needs an input-gradient convolution, which tfjs has not for dilation > 1`);
      y = fb.conv2d(x4, this.W, this.b, { strides: this.stride, pad: this.padding }, this.name);
    } else if (this.b && this.dilation.every((d) => d === 1)) y = this.convBias(x4, this.b);
    else {
      y = tf.conv2d(x4, this.W as tf.Tensor4D, this.stride, pad, 'NHWC', this.dilation);
      if (this.b) y = tf.add(y, this.b);
    }
    return (act === 'linear' ? y : activationFn(act)(y)) as tf.Tensor4D;
  }

  /**
   * conv(x, W) + b as one recorded op (the Feedback's convolution, src/feedback/conv.ts): the
   * forward is the FusedConv2D kernel (the bias added in the convolution's own pass), the backward
   * asks for each input's gradient lazily as tfjs's Conv2D gradient does (so after a DFA point
   * Conv2DBackpropInput never runs).
   */
  private convBias(x: tf.Tensor4D, b: tf.Variable): tf.Tensor {
    const W = this.W as tf.Tensor4D;
    return convOp(x, W, b, { strides: this.stride, pad: this.padding }, () => W);
  }
}

/** True while tfjs records a tape (inside tf.grads / Feedback.grads), as tfjs's own fused ops ask. */
function recording(): boolean {
  return (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
}

function pair(v: number | [number, number], what: string, name: string): [number, number] {
  const p: [number, number] = Array.isArray(v) ? v : [v, v];
  if (p.length !== 2 || p.some((d) => !Number.isInteger(d) || d < 1)) throw new Error(`Conv2d '${name}': ${what} must be a positive integer or two, got ${JSON.stringify(v)}`);
  return p;
}
