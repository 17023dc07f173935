/**
 * NeRF (Mildenhall et al. 2020) with a coarse and an optional fine network, and Tiny-NeRF
 * (the paper's appendix B: one 3×128 network, no view dependence, no hierarchical sampling).
 *
 * Training a batch of rays: stratified depths → coarse network → volume rendering → MSE; then
 * inverse-CDF depths from the coarse weights, merged with the coarse ones → fine network → MSE.
 * The fine depths are data (nerf detaches them), so the coarse loss reaches only the coarse
 * network and the fine loss only the fine one: each network gets its own Feedback (own B) and
 * its own gradient pass. Under DFA, e = dL/d(raw) per sample point comes back through the
 * weightless renderer, and each hidden activation receives e·B (B shared by all sample points).
 */
import * as tf from '@tensorflow/tfjs';
import { Feedback, type Method } from '../../../feedback';
import { Rng } from '../../../engine/rng';
import { encodedWidth, positionalEncodingArray } from './encoding';
import { NerfMLP, type NerfMlpConfig } from './mlp';
import { sliceRays, type Rays } from './rays';
import { mse, volumeRender } from './render';
import { hierarchicalSamples, samplePoints, stratifiedSamples } from './sampling';

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

/** The paper's NeRF (nerf-pytorch's blender/LLFF configs). */
export const NERF_FULL: NerfConfig = { posFreqs: 10, dirFreqs: 4, useViewdirs: true, depth: 8, width: 256, skips: [4], nSamples: 64, nImportance: 128 };
/** Appendix B: 3 layers of half width, no view dependence, no coarse network informing the sampling. */
export const NERF_TINY: NerfConfig = { posFreqs: 10, dirFreqs: 4, useViewdirs: false, depth: 3, width: 128, skips: [], nSamples: 64, nImportance: 0 };

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

  get numParams(): number {
    return this.coarse.numParams + (this.fine?.numParams ?? 0);
  }

  /** Encoded inputs for sample points (no gradient). */
  private encode(pts: Float32Array, dirs: Float32Array): [tf.Tensor2D, tf.Tensor2D | null] {
    const n = pts.length / 3;
    const { posFreqs, dirFreqs } = this.cfg;
    const x = tf.tensor2d(positionalEncodingArray(pts, 3, posFreqs), [n, encodedWidth(3, posFreqs)]);
    const d = this.cfg.useViewdirs ? tf.tensor2d(positionalEncodingArray(dirs, 3, dirFreqs), [n, encodedWidth(3, dirFreqs)]) : null;
    return [x, d];
  }

  /**
   * One gradient pass per network for a batch of rays with target colours (n*3).
   * Returns the gradients (keyed by variable, absent = not trained by this method) and the MSEs.
   */
  computeGrads(rays: Rays, target: Float32Array, scene: SceneRender, fb: { coarse: Feedback; fine?: Feedback }, rng: Rng, noiseStd = 0):
  { grads: Map<tf.Variable, tf.Tensor>; mseCoarse: number; mseFine: number | null } {
    const n = rays.n;
    const tgt = tf.tensor2d(target, [n, 3]);
    const zc = stratifiedSamples(n, this.cfg.nSamples, scene.near, scene.far, rng.fork('strat'));
    const noiseRng = rng.fork('noise');
    let weightsC: Float32Array | null = null;
    const pc = samplePoints(rays, zc);
    const [xc, dc] = this.encode(pc.pts, pc.dirs);
    const rc = fb.coarse.grads(() => {
      const raw = this.coarse.forward(fb.coarse, xc, dc);
      const out = volumeRender(raw, zc, rays.dirs, n, { whiteBackground: scene.whiteBackground, noiseStd, rng: noiseRng });
      if (this.fine) weightsC = out.weights.dataSync() as Float32Array;
      return mse(out.rgb, tgt);
    }, this.coarse.variables);
    tf.dispose([xc, dc ?? []]);
    const grads = rc.grads;
    const mseCoarse = rc.value.dataSync()[0]!;
    rc.value.dispose();
    let mseFine: number | null = null;
    if (this.fine && fb.fine) {
      const zf = hierarchicalSamples(zc, weightsC!, n, this.cfg.nImportance, rng.fork('pdf'));
      const pf = samplePoints(rays, zf);
      const [xf, df] = this.encode(pf.pts, pf.dirs);
      const rf = fb.fine.grads(() => {
        const raw = this.fine!.forward(fb.fine!, xf, df);
        const out = volumeRender(raw, zf, rays.dirs, n, { whiteBackground: scene.whiteBackground, noiseStd, rng: noiseRng });
        return mse(out.rgb, tgt);
      }, this.fine.variables);
      tf.dispose([xf, df ?? []]);
      for (const [v, g] of rf.grads) grads.set(v, g);
      mseFine = rf.value.dataSync()[0]!;
      rf.value.dispose();
    }
    tgt.dispose();
    return { grads, mseCoarse, mseFine };
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
    const off = new Feedback({ method: 'bp' }); // outside grads() its markers are plain forwards
    for (let s = 0; s < n; s += chunk) {
      const r = sliceRays(rays, s, chunk);
      const zc = stratifiedSamples(r.n, this.cfg.nSamples, scene.near, scene.far, opts.rng?.fork(`c${s}`));
      const pc = samplePoints(r, zc);
      const outC = tf.tidy(() => {
        const [x, d] = this.encode(pc.pts, pc.dirs);
        const o = volumeRender(this.coarse.forward(off, x, d), zc, r.dirs, r.n, scene);
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
      const pf = samplePoints(r, zf);
      const outF = tf.tidy(() => {
        const [x, d] = this.encode(pf.pts, pf.dirs);
        const o = volumeRender(this.fine!.forward(off, x, d), zf, r.dirs, r.n, scene);
        const extra = opts.dual ? [volumeRender(this.coarse.forward(off, x, d), zf, r.dirs, r.n, scene).rgb] : [];
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
    off.dispose();
    return res;
  }

  getWeights() {
    return { coarse: this.coarse.getWeights(), fine: this.fine?.getWeights() ?? null };
  }

  setWeights(w: ReturnType<NeRF['getWeights']>): void {
    this.coarse.setWeights(w.coarse);
    if (this.fine) {
      if (!w.fine) throw new Error('NeRF: checkpoint has no fine network');
      this.fine.setWeights(w.fine);
    }
  }

  dispose(): void {
    this.coarse.dispose();
    this.fine?.dispose();
  }
}

/** One Feedback per network (each its own B, seeded apart), for a method. */
export function nerfFeedback(method: Method, seed: number, model: NeRF): { coarse: Feedback; fine?: Feedback } {
  const w = model.cfg.width;
  const mk = (label: string) => new Feedback({ method, rng: new Rng(seed).fork(label), maxWidth: w, outDim: 4 });
  return model.fine ? { coarse: mk('coarse'), fine: mk('fine') } : { coarse: mk('coarse') };
}
