/**
 * The NeRF MLP (nerf-pytorch's `NeRF`, as the paper's code uses it): `depth` ReLU layers of
 * `width` on the encoded position, the encoded position concatenated again after the layers in
 * `skips` (layer 4 → input of layer 6 in the 8-layer net), then either a plain 4-wide output
 * (Tiny-NeRF, no view dependence) or the view-dependent head: density from the trunk, a
 * ReLU feature layer, [feature, encoded direction] through one ReLU layer of width/2, rgb.
 * Output per sample point: [rgb logits (3), density logit (1)].
 *
 * Every hidden activation is a feedback point (`fb.point`), and the raw output is where the
 * global error is taken (`fb.output(raw, label)`, one named output per network): under DFA each
 * point gets e·B with e = dL/d(raw).
 */
import * as tf from '@tensorflow/tfjs';
import type { Feedback } from '../../../feedback';
import type { Rng } from '../../../engine/rng';
import { linearRelu } from '../../../engine/ops/linear_relu';
import { Linear } from '../../../nn/linear';

export interface NerfMlpConfig {
  depth: number;
  width: number;
  /** Layer indices (0-based) after which the encoded input is concatenated again. */
  skips: number[];
  /** Width of the encoded position / direction inputs. */
  inputCh: number;
  inputChViews: number;
  useViewdirs: boolean;
}

/**
 * A layer of the net: `main` on the previous activation and, where nerf concatenates a second
 * input (the encoded position at the skip, the encoded direction in the view layer), a bias-free
 * `extra` on it: [a, x]·[W; Wx] + b = a·W + b + x·Wx. Same function and init (fan-in of the
 * concatenation, drawn right after W and b); two products because tfjs cpu's gradient of a
 * concat (SplitV) is slow.
 */
export interface NerfLayer {
  main: Linear;
  extra?: Linear;
}

/** Initial bias of the density logit (see the constructor). */
export const DENSITY_BIAS_INIT = 0.1;

function layer(rng: Rng, nin: number, nout: number, name: string, ninExtra = 0): NerfLayer {
  const fanIn = nin + ninExtra;
  const main = new Linear({ inDim: nin, outDim: nout, rng, init: 'torch', fanIn, name });
  if (!ninExtra) return { main };
  return { main, extra: new Linear({ inDim: ninExtra, outDim: nout, rng, init: 'torch', fanIn, bias: false, name: `${name}/x` }) };
}

/** Rows → the 4 raw channels [r, g, b, σ] as a product (tfjs cpu's concat gradient is slow). */
const TO_RGB4 = () => tf.tensor2d([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], [3, 4]);
const TO_SIGMA4 = () => tf.tensor2d([0, 0, 0, 1], [1, 4]);

export class NerfMLP {
  readonly trunk: NerfLayer[] = [];
  readonly out?: NerfLayer;
  readonly alpha?: NerfLayer;
  readonly feature?: NerfLayer;
  readonly views?: NerfLayer;
  readonly rgb?: NerfLayer;

  constructor(readonly cfg: NerfMlpConfig, rng: Rng, readonly label = 'net') {
    const { depth, width, skips, inputCh } = cfg;
    if (skips.includes(depth - 1)) throw new Error(`NerfMLP: a skip after the last layer (${depth - 1}) is not supported`);
    for (let i = 0; i < depth; i++) {
      if (i === 0) this.trunk.push(layer(rng, inputCh, width, `${label}/pts${i}`));
      else this.trunk.push(layer(rng, width, width, `${label}/pts${i}`, skips.includes(i - 1) ? inputCh : 0));
    }
    if (cfg.useViewdirs) {
      this.alpha = layer(rng, width, 1, `${label}/alpha`);
      this.feature = layer(rng, width, width, `${label}/feature`);
      this.views = layer(rng, width, width / 2, `${label}/views`, cfg.inputChViews);
      this.rgb = layer(rng, width / 2, 3, `${label}/rgb`);
    } else {
      this.out = layer(rng, width, 4, `${label}/out`);
    }
    // The density logit starts slightly positive. With PyTorch's default init its bias alone
    // (U(±1/sqrt(fan_in))) decides the sign of σ at every point (the trunk's features barely vary
    // at init), so on some seeds ReLU(σ) is 0 everywhere and no gradient ever flows (seen with
    // Tiny-NeRF seed 0). nerf-pytorch has the same failure on unlucky seeds.
    const b = (this.out ?? this.alpha!).main.b!;
    const init = b.dataSync().slice();
    init[init.length - 1] = DENSITY_BIAS_INIT;
    tf.tidy(() => b.assign(tf.tensor1d(init)));
  }

  get layers(): NerfLayer[] {
    return [...this.trunk, ...[this.out, this.alpha, this.feature, this.views, this.rgb].filter((d): d is NerfLayer => !!d)];
  }

  /** The output layers (the true gradient reaches them under every method). */
  get outputLayers(): NerfLayer[] {
    return this.out ? [this.out] : [this.alpha!, this.rgb!];
  }

  private get linears(): Linear[] {
    return this.layers.flatMap((l) => (l.extra ? [l.main, l.extra] : [l.main]));
  }

  /** Every weight under its layer's name (`coarse/pts0.W`, `coarse/pts5/x.W`, ...): checkpoint keys. */
  namedVariables(): Record<string, tf.Variable> {
    return Object.assign({}, ...this.linears.map((l) => l.namedVariables()));
  }

  get variables(): tf.Variable[] {
    return this.linears.flatMap((l) => l.variables);
  }

  get numParams(): number {
    return this.variables.reduce((a, v) => a + v.size, 0);
  }

  /** Multiply-accumulates of one forward per sample point (the GEMMs). */
  get macsPerPoint(): number {
    return this.linears.reduce((a, l) => a + l.inDim * l.outDim, 0);
  }

  /**
   * x: [P, inputCh] encoded positions, d: [P, inputChViews] encoded directions (or null) → raw
   * [P, 4]. Through `fb` in training (its points, its output named after this network); `null`
   * for inference.
   */
  forward(fb: Feedback | null, x: tf.Tensor2D, d: tf.Tensor2D | null): tf.Tensor2D {
    const point = (h: tf.Tensor, name: string) => (fb ? fb.point(h, `${this.label}/${name}`) : h);
    // The layer after a skip sees [x, h]: h·W + b + x·Wx (x is data: only Wx's gradient is needed).
    const apply = (l: NerfLayer, h: tf.Tensor, extra?: tf.Tensor | null) => {
      const a = l.main.apply(h, fb);
      return l.extra ? tf.add(a, l.extra.apply(extra!, fb)) : a;
    };
    // A hidden layer: one fused op (linear_relu.ts, the same numbers) unless FA treats its weights.
    const hidden = (l: NerfLayer, h: tf.Tensor, extra?: tf.Tensor | null) => {
      if (fb?.usesFa()) return tf.relu(apply(l, h, extra));
      return linearRelu(h, l.main.W, l.main.b!, l.extra ? { x: extra!, w: l.extra.W } : undefined);
    };
    let h: tf.Tensor = x;
    this.trunk.forEach((l, i) => (h = point(hidden(l, h, x), `h${i + 1}`)));
    let raw: tf.Tensor;
    if (this.cfg.useViewdirs) {
      if (!d) throw new Error('NerfMLP: this network is view-dependent and needs encoded directions');
      const sigma = apply(this.alpha!, h);
      const feat = point(hidden(this.feature!, h), 'feature');
      const hv = point(hidden(this.views!, feat, d), 'views');
      const rgb = apply(this.rgb!, hv);
      raw = tf.add(tf.matMul(rgb as tf.Tensor2D, TO_RGB4()), tf.matMul(sigma as tf.Tensor2D, TO_SIGMA4()));
    } else {
      raw = apply(this.out!, h);
    }
    return (fb ? fb.output(raw, this.label) : raw) as tf.Tensor2D;
  }

  dispose(): void {
    for (const l of this.linears) l.dispose();
  }
}
