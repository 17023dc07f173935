/**
 * A plain convolutional classifier for NHWC images: conv blocks (Conv2d → ReLU/tanh → optional 2x2 max
 * pool → feedback point), flattened into an MLP head (blocks with their points, then the
 * output where DFA takes its error). Used by the image tasks and by `dfa bench cnn`.
 *
 * DFA's feedback after a convolution, two conventions (`convFeedback`):
 *  - 'flat' (default): the point is the flattened block output [N, H·W·C], so one random matrix
 *    maps the error to every unit of the feature map, as for any hidden layer. This is how the
 *    DFA literature treats convolutional layers (Nøkland 2016's CIFAR-10 convolutional nets; the
 *    sparse-feedback variants of Crafton et al. 2019 feed each unit of the flattened map).
 *  - 'channel': the point is [N, H, W, C] and the output's [N, classes] error is a prefix of it:
 *    one matrix [classes, C] maps the error to the channels and the same signal e·B reaches every
 *    position (the Feedback's 'prefix' fit), divided by the number of positions H·W: the feedback
 *    of the map's spatial mean (without the division the H·W identical signals add up in the
 *    filter gradient and training diverges). Much smaller B and projection; a variant we offer,
 *    not the literature's usual choice.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import type { Feedback } from '../feedback';
import { Conv2d } from '../nn/conv2d';
import { MLP } from '../nn/mlp';

export type ConvFeedback = 'flat' | 'channel';
export const CONV_FEEDBACKS: readonly ConvFeedback[] = ['flat', 'channel'];

export interface ConvBlockSpec {
  channels: number;
  kernel: number;
  padding?: 'same' | 'valid';
  /** 2x2 max pooling with stride 2 after the activation */
  pool?: boolean;
}

export interface ConvNetConfig {
  /** [H, W, C] of one image */
  input: [number, number, number];
  convs: ConvBlockSpec[];
  /** widths of the dense hidden layers after flattening */
  hidden: number[];
  classes: number;
  seed: number;
  convFeedback?: ConvFeedback;
  /** after every conv and hidden dense layer: 'relu' (default) or 'tanh' (bounded: DFA's usual choice) */
  activation?: 'relu' | 'tanh';
}

export class ConvNet {
  readonly convs: Conv2d[];
  readonly head: MLP;
  readonly convFeedback: ConvFeedback;
  readonly act: 'relu' | 'tanh';
  /** [H, W, C] after each conv block */
  readonly shapes: Array<[number, number, number]>;

  constructor(readonly config: ConvNetConfig) {
    const fbk = config.convFeedback ?? 'flat';
    if (!CONV_FEEDBACKS.includes(fbk)) throw new Error(`ConvNet: convFeedback must be ${CONV_FEEDBACKS.join(' or ')}, got '${String(fbk)}'`);
    this.convFeedback = fbk;
    const act = config.activation ?? 'relu';
    if (act !== 'relu' && act !== 'tanh') throw new Error(`ConvNet: activation must be relu or tanh, got '${String(act)}'`);
    this.act = act;
    const rng = new Rng(config.seed).fork('convnet');
    let [h, w, c] = config.input;
    this.shapes = [];
    this.convs = config.convs.map((b, i) => {
      const layer = new Conv2d({ inChannels: c, outChannels: b.channels, kernelSize: b.kernel, padding: b.padding ?? 'same', rng: rng.fork(`conv${i + 1}`), name: `conv${i + 1}`, init: act === 'relu' ? 'he' : 'glorot' });
      if ((b.padding ?? 'same') === 'valid') [h, w] = [h - b.kernel + 1, w - b.kernel + 1];
      if (b.pool) [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
      if (h < 1 || w < 1) throw new Error(`ConvNet: block ${i + 1} shrinks the ${config.input[0]}x${config.input[1]} image to nothing`);
      c = b.channels;
      this.shapes.push([h, w, c]);
      return layer;
    });
    this.head = new MLP({ inputDim: h * w * c, hidden: config.hidden, outputDim: config.classes, activation: act, init: act === 'relu' ? 'he' : 'glorot', rng: rng.fork('head') });
  }

  /**
   * Logits [N, classes] for x [N, H, W, C]; with `fb`, feedback points after every block, and every
   * convolution and dense layer through it (the layer-wise methods treat them by name: conv1.., fc..).
   */
  forward(x: tf.Tensor, fb?: Feedback | null): tf.Tensor {
    const [H, W, C] = this.config.input;
    if (x.rank !== 4 || x.shape[1] !== H || x.shape[2] !== W || x.shape[3] !== C) {
      throw new Error(`ConvNet: input must be [N, ${H}, ${W}, ${C}], got [${x.shape}]`);
    }
    const n = x.shape[0]!;
    let h: tf.Tensor = x;
    this.convs.forEach((conv, i) => {
      h = conv.apply(h, this.act, fb);
      if (this.config.convs[i]!.pool) h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
      if (fb) h = this.point(h, fb, `conv${i + 1}`);
    });
    return this.head.forward(tf.reshape(h, [n, -1]), fb);
  }

  private point(h: tf.Tensor, fb: Feedback, name: string): tf.Tensor {
    if (this.convFeedback === 'channel') return fb.point(scaleGradient(h, 1 / (h.shape[1]! * h.shape[2]!)), name);
    return tf.reshape(fb.point(tf.reshape(h, [h.shape[0]!, -1]), name), h.shape);
  }

  get variables(): tf.Variable[] {
    return [...this.convs.flatMap((l) => l.variables), ...this.head.variables];
  }

  /** Biases (no weight decay by convention). */
  get biases(): tf.Variable[] {
    return [...this.convs, ...this.head.layers].flatMap((l) => (l.b ? [l.b] : []));
  }

  namedVariables(): Record<string, tf.Variable> {
    return Object.assign({}, ...this.convs.map((l) => l.namedVariables()), this.head.namedVariables());
  }

  /** Widest feedback point (DFA's B has this many columns). */
  get widestPoint(): number {
    const conv = this.shapes.map(([h, w, c]) => (this.convFeedback === 'flat' ? h * w * c : c));
    return Math.max(0, ...conv, ...this.config.hidden);
  }

  describe(): string {
    const [H, W, C] = this.config.input;
    const blocks = this.config.convs.map((b) => `conv${b.kernel}x${b.kernel}-${b.channels}${b.pool ? '-pool' : ''}`);
    return `ConvNet ${H}x${W}x${C} ${blocks.join(' ')} fc ${[...this.config.hidden, this.config.classes].join('-')} ${this.act}; DFA points ${this.convFeedback}`;
  }

  dispose(): void {
    for (const l of this.convs) l.dispose();
    this.head.dispose();
  }
}

/** Identity whose gradient is multiplied by `s`. */
function scaleGradient(x: tf.Tensor, s: number): tf.Tensor {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor;
    return { value: tf.clone(t), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.mul(dy as tf.Tensor, s) };
  })(x);
}
