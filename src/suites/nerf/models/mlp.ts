/**
 * The NeRF MLP (nerf-pytorch's `NeRF`, as the paper's code uses it): `depth` ReLU layers of
 * `width` on the encoded position, the encoded position concatenated again after the layers in
 * `skips` (layer 4 → input of layer 6 in the 8-layer net), then either a plain 4-wide output
 * (Tiny-NeRF, no view dependence) or the view-dependent head: density from the trunk, a
 * ReLU feature layer, [feature, encoded direction] through one ReLU layer of width/2, rgb.
 * Output per sample point: [rgb logits (3), density logit (1)].
 *
 * Every hidden activation is a feedback point (`fb.point`), and the raw output is where the
 * global error is taken (`fb.output`): under DFA each point gets e·B with e = dL/d(raw).
 */
import * as tf from '@tensorflow/tfjs';
import type { Feedback } from '../../../feedback';
import type { Rng } from '../../../engine/rng';

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

interface Dense {
  name: string;
  /** Weights on the layer's main input (the previous activation). */
  W: tf.Variable;
  b: tf.Variable;
  /**
   * Weights on a second input that nerf concatenates to the first (the encoded position at the
   * skip, the encoded direction in the view layer): [a, x]·[W; Wx] = a·W + x·Wx. Same function
   * and init; computed as two products because tfjs cpu's gradient of a concat (SplitV) is slow.
   */
  Wx?: tf.Variable;
}

let uid = 0;

/** Initial bias of the density logit (see the constructor). */
export const DENSITY_BIAS_INIT = 0.1;

/** PyTorch nn.Linear's default init: W, b ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
function dense(rng: Rng, nin: number, nout: number, name: string, ninExtra = 0): Dense {
  const a = 1 / Math.sqrt(nin + ninExtra);
  const id = `${name}_${uid++}`;
  return {
    name,
    W: tf.variable(tf.tensor2d(rng.uniformArray(nin * nout, -a, a), [nin, nout]), true, `nerf/${id}/W`),
    b: tf.variable(tf.tensor1d(rng.uniformArray(nout, -a, a)), true, `nerf/${id}/b`),
    ...(ninExtra ? { Wx: tf.variable(tf.tensor2d(rng.uniformArray(ninExtra * nout, -a, a), [ninExtra, nout]), true, `nerf/${id}/Wx`) } : {}),
  };
}

/** Rows → the 4 raw channels [r, g, b, σ] as a product (tfjs cpu's concat gradient is slow). */
const TO_RGB4 = () => tf.tensor2d([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0], [3, 4]);
const TO_SIGMA4 = () => tf.tensor2d([0, 0, 0, 1], [1, 4]);

export class NerfMLP {
  readonly trunk: Dense[] = [];
  readonly out?: Dense;
  readonly alpha?: Dense;
  readonly feature?: Dense;
  readonly views?: Dense;
  readonly rgb?: Dense;

  constructor(readonly cfg: NerfMlpConfig, rng: Rng, readonly label = 'net') {
    const { depth, width, skips, inputCh } = cfg;
    if (skips.includes(depth - 1)) throw new Error(`NerfMLP: a skip after the last layer (${depth - 1}) is not supported`);
    for (let i = 0; i < depth; i++) {
      if (i === 0) this.trunk.push(dense(rng, inputCh, width, `${label}/pts${i}`));
      else this.trunk.push(dense(rng, width, width, `${label}/pts${i}`, skips.includes(i - 1) ? inputCh : 0));
    }
    if (cfg.useViewdirs) {
      this.alpha = dense(rng, width, 1, `${label}/alpha`);
      this.feature = dense(rng, width, width, `${label}/feature`);
      this.views = dense(rng, width, width / 2, `${label}/views`, cfg.inputChViews);
      this.rgb = dense(rng, width / 2, 3, `${label}/rgb`);
    } else {
      this.out = dense(rng, width, 4, `${label}/out`);
    }
    // The density logit starts slightly positive. With PyTorch's default init its bias alone
    // (U(±1/sqrt(fan_in))) decides the sign of σ at every point (the trunk's features barely vary
    // at init), so on some seeds ReLU(σ) is 0 everywhere and no gradient ever flows (seen with
    // Tiny-NeRF seed 0). nerf-pytorch has the same failure on unlucky seeds.
    const head = this.out ?? this.alpha!;
    const b = head.b.dataSync().slice();
    b[b.length - 1] = DENSITY_BIAS_INIT;
    head.b.assign(tf.tensor1d(b));
  }

  get layers(): Dense[] {
    return [...this.trunk, ...[this.out, this.alpha, this.feature, this.views, this.rgb].filter((d): d is Dense => !!d)];
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((d) => (d.Wx ? [d.W, d.Wx, d.b] : [d.W, d.b]));
  }

  get numParams(): number {
    return this.variables.reduce((a, v) => a + v.size, 0);
  }

  /** Multiply-accumulates of one forward per sample point (the GEMMs). */
  get macsPerPoint(): number {
    return this.layers.reduce((a, d) => a + (d.W.shape[0]! + (d.Wx?.shape[0] ?? 0)) * d.W.shape[1]!, 0);
  }

  /** x: [P, inputCh] encoded positions, d: [P, inputChViews] encoded directions (or null). → raw [P, 4]. */
  forward(fb: Feedback, x: tf.Tensor2D, d: tf.Tensor2D | null): tf.Tensor2D {
    let h: tf.Tensor = x;
    this.trunk.forEach((l, i) => {
      // The layer after a skip sees [x, h]: x·Wx + h·W (x is data: only Wx's gradient is needed).
      let a = fb.dense(h, l.W, l.b, l.name);
      if (l.Wx) a = tf.add(a, tf.matMul(x, l.Wx));
      h = fb.point(tf.relu(a), `${this.label}/h${i + 1}`);
    });
    let raw: tf.Tensor;
    if (this.cfg.useViewdirs) {
      if (!d) throw new Error('NerfMLP: this network is view-dependent and needs encoded directions');
      const v = this.views!;
      const sigma = fb.dense(h, this.alpha!.W, this.alpha!.b, this.alpha!.name);
      const feat = fb.point(tf.relu(fb.dense(h, this.feature!.W, this.feature!.b, this.feature!.name)), `${this.label}/feature`);
      const hv = fb.point(tf.relu(tf.add(fb.dense(feat, v.W, v.b, v.name), tf.matMul(d, v.Wx!))), `${this.label}/views`);
      const rgb = fb.dense(hv, this.rgb!.W, this.rgb!.b, this.rgb!.name);
      raw = tf.add(tf.matMul(rgb, TO_RGB4()), tf.matMul(sigma, TO_SIGMA4()));
    } else {
      raw = fb.dense(h, this.out!.W, this.out!.b, this.out!.name);
    }
    return fb.output(raw) as tf.Tensor2D;
  }

  /** Weights by layer name, float32 data base64-encoded (compact in a JSON checkpoint). */
  getWeights(): Record<string, { shape: number[]; data: string }> {
    const out: Record<string, { shape: number[]; data: string }> = {};
    for (const l of this.layers) {
      for (const [k, v] of [['W', l.W], ['b', l.b], ['Wx', l.Wx]] as const) {
        if (!v) continue;
        const d = v.dataSync() as Float32Array;
        out[`${l.name}/${k}`] = { shape: v.shape, data: Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64') };
      }
    }
    return out;
  }

  setWeights(w: Record<string, { shape: number[]; data: string }>): void {
    for (const l of this.layers) {
      for (const [k, v] of [['W', l.W], ['b', l.b], ['Wx', l.Wx]] as const) {
        if (!v) continue;
        const s = w[`${l.name}/${k}`];
        if (!s || s.shape.join(',') !== v.shape.join(',')) throw new Error(`NerfMLP: checkpoint has no ${l.name}/${k} of shape [${v.shape}]`);
        const buf = Buffer.from(s.data, 'base64');
        if (buf.length !== v.size * 4) throw new Error(`NerfMLP: checkpoint ${l.name}/${k} has ${buf.length} bytes, expected ${v.size * 4}`);
        const arr = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        v.assign(tf.tensor(arr, v.shape));
      }
    }
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
