/**
 * NeRF (Mildenhall et al. 2020) with a coarse and an optional fine network, and Tiny-NeRF
 * (the paper's appendix B: one 3×128 network, no view dependence, no hierarchical sampling).
 *
 * The training loss of a batch of rays: stratified depths → coarse network → volume rendering →
 * MSE; then inverse-CDF depths from the coarse weights, merged with the coarse ones → fine
 * network → MSE; loss = MSE_coarse + MSE_fine. The fine depths are data (nerf detaches them), so
 * the coarse MSE reaches only the coarse network and the fine MSE only the fine one. One Feedback
 * pass serves both: each network's raw output is a named output (`coarse`, `fine`) with its own
 * DFA matrix, and its hidden activations receive e·B (B shared by all sample points) from its own
 * error e = dL/d(raw), which comes back through the weightless renderer.
 */
import * as tf from '@tensorflow/tfjs';
import type { Feedback } from '../../../feedback';
import { Rng } from '../../../engine/rng';
import { encodedWidth, positionalEncoding } from './encoding';
import { NerfMLP, type NerfMlpConfig } from './mlp';
import { sliceRays, type Rays } from './rays';
import { mse, volumeRender } from './render';
import { hierarchicalSamples, samplePositions, stratifiedSamples } from './sampling';

export interface NerfConfig {
  /** Positional-encoding frequencies for positions (10) and directions (4). */
  posFreqs: number;
  dirFreqs: number;
  useViewdirs: boolean;
  depth: number;
  width: number;
  skips: number[];
  /** Stratified samples per ray (coarse), and hierarchical samples for the fine network (0 = no fine network). */
  nSamples: number;
  nImportance: number;
}

export interface SceneRender {
  near: number;
  far: number;
  whiteBackground: boolean;
}

export interface RenderResult {
  /** n*3 colours from the last network (fine if any). */
  rgb: Float32Array;
  rgbCoarse: Float32Array;
  /** NeRF-Dual (appendix E): mean of the coarse and fine networks, both evaluated at the fine depths. */
  rgbDual?: Float32Array;
  depth: Float32Array;
  acc: Float32Array;
}

export class NeRF {
  readonly coarse: NerfMLP;
  readonly fine: NerfMLP | null;

  constructor(readonly cfg: NerfConfig, seed: number) {
    const rng = new Rng(seed).fork('nerf-init');
    const mlp: NerfMlpConfig = {
      depth: cfg.depth, width: cfg.width, skips: cfg.skips, useViewdirs: cfg.useViewdirs,
      inputCh: encodedWidth(3, cfg.posFreqs), inputChViews: cfg.useViewdirs ? encodedWidth(3, cfg.dirFreqs) : 0,
    };
    this.coarse = new NerfMLP(mlp, rng.fork('coarse'), 'coarse');
    this.fine = cfg.nImportance > 0 ? new NerfMLP(mlp, rng.fork('fine'), 'fine') : null;
  }

  get variables(): tf.Variable[] {
    return [...this.coarse.variables, ...(this.fine?.variables ?? [])];
  }

  /** Every weight of both networks under its layer's name (checkpoint keys). */
  namedVariables(): Record<string, tf.Variable> {
    return { ...this.coarse.namedVariables(), ...(this.fine?.namedVariables() ?? {}) };
  }

  get numParams(): number {
    return this.coarse.numParams + (this.fine?.numParams ?? 0);
  }

  /**
   * Encoded inputs (no gradient) for the samples at depths z of each ray: positions o + z·d, and
   * each ray's viewing direction, encoded once and repeated for its samples.
   */
  private encode(rays: Rays, z: Float32Array): [tf.Tensor2D, tf.Tensor2D | null] {
    const { posFreqs, dirFreqs } = this.cfg;
    const pts = tf.tensor2d(samplePositions(rays, z), [z.length, 3]);
    const x = positionalEncoding(pts, posFreqs);
    pts.dispose();
    if (!this.cfg.useViewdirs) return [x, null];
    const dirs = tf.tensor2d(rays.viewdirs, [rays.n, 3]);
    const d = positionalEncoding(dirs, dirFreqs, { repeat: z.length / rays.n });
    dirs.dispose();
    return [x, d];
  }

  /**
   * The training loss of a batch of rays with target colours (n*3), forward through `fb`: the
   * coarse network's output is named 'coarse', the fine one's 'fine'. Returns the loss (the sum)
   * and each network's MSE (scalars of the same pass). `rng` draws the stratified depths
   * ('strat'), the density noise ('noise', coarse then fine) and the inverse-CDF depths ('pdf').
   */
  trainingLoss(fb: Feedback, rays: Rays, target: Float32Array, scene: SceneRender, rng: Rng, noiseStd = 0): { loss: tf.Scalar; mseCoarse: tf.Scalar; mseFine: tf.Scalar | null } {
    const n = rays.n;
    const tgt = tf.tensor2d(target, [n, 3]);
    const noiseRng = rng.fork('noise');
    const render = { whiteBackground: scene.whiteBackground, noiseStd, rng: noiseRng };
    const zc = stratifiedSamples(n, this.cfg.nSamples, scene.near, scene.far, rng.fork('strat'));
    const [xc, dc] = this.encode(rays, zc);
    const outC = volumeRender(this.coarse.forward(fb, xc, dc), zc, rays.dirs, n, render);
    const mseCoarse = mse(outC.rgb, tgt);
    if (!this.fine) return { loss: mseCoarse, mseCoarse, mseFine: null };
    // the fine depths are data: drawn from the coarse weights' values
    const zf = hierarchicalSamples(zc, outC.weights.dataSync() as Float32Array, n, this.cfg.nImportance, rng.fork('pdf'));
    const [xf, df] = this.encode(rays, zf);
    const outF = volumeRender(this.fine.forward(fb, xf, df), zf, rays.dirs, n, render);
    const mseFine = mse(outF.rgb, tgt);
    return { loss: tf.add(mseCoarse, mseFine), mseCoarse, mseFine };
  }

  /**
   * Render rays without gradients, about `chunk` sample points (default 65536) at a time, so
   * memory stays bounded at any image size. Deterministic (evenly spaced depths, deterministic inverse-CDF) unless `rng` is given.
   */
  render(rays: Rays, scene: SceneRender, opts: { chunk?: number; dual?: boolean; rng?: Rng } = {}): RenderResult {
    // `chunk` counts network evaluations (sample points), so memory is bounded whatever the samples per ray.
    const perRay = this.cfg.nSamples + this.cfg.nImportance;
    const chunk = Math.max(1, Math.floor((opts.chunk ?? 65536) / perRay));
    const n = rays.n;
    const res: RenderResult = { rgb: new Float32Array(n * 3), rgbCoarse: new Float32Array(n * 3), depth: new Float32Array(n), acc: new Float32Array(n) };
    if (opts.dual && this.fine) res.rgbDual = new Float32Array(n * 3);
    for (let s = 0; s < n; s += chunk) {
      const r = sliceRays(rays, s, chunk);
      const zc = stratifiedSamples(r.n, this.cfg.nSamples, scene.near, scene.far, opts.rng?.fork(`c${s}`));
      const outC = tf.tidy(() => {
        const [x, d] = this.encode(r, zc);
        const o = volumeRender(this.coarse.forward(null, x, d), zc, r.dirs, r.n, scene);
        return [o.rgb, o.weights, o.depth, o.acc];
      });
      const [rgbC, wC, depC, accC] = outC.map((t) => t.dataSync() as Float32Array);
      tf.dispose(outC);
      res.rgbCoarse.set(rgbC!, s * 3);
      if (!this.fine) {
        res.rgb.set(rgbC!, s * 3);
        res.depth.set(depC!, s);
        res.acc.set(accC!, s);
        continue;
      }
      const zf = hierarchicalSamples(zc, wC!, r.n, this.cfg.nImportance, opts.rng?.fork(`f${s}`));
      const outF = tf.tidy(() => {
        const [x, d] = this.encode(r, zf);
        const o = volumeRender(this.fine!.forward(null, x, d), zf, r.dirs, r.n, scene);
        const extra = opts.dual ? [volumeRender(this.coarse.forward(null, x, d), zf, r.dirs, r.n, scene).rgb] : [];
        return [o.rgb, o.depth, o.acc, ...extra];
      });
      const [rgbF, depF, accF, rgbCF] = outF.map((t) => t.dataSync() as Float32Array);
      tf.dispose(outF);
      res.rgb.set(rgbF!, s * 3);
      res.depth.set(depF!, s);
      res.acc.set(accF!, s);
      if (res.rgbDual && rgbCF) {
        for (let k = 0; k < rgbF!.length; k++) res.rgbDual[s * 3 + k] = 0.5 * (rgbF![k]! + rgbCF[k]!);
      }
    }
    return res;
  }

  dispose(): void {
    this.coarse.dispose();
    this.fine?.dispose();
  }
}
