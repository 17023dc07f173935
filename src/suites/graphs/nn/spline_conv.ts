/**
 * SplineConv (Fey et al. 2018) with a 1-D open B-spline kernel of degree 1 on the edge
 * pseudo-coordinate u ∈ [0, 1] (e.g. `Graph.targetIndegree()`):
 *   x'_i = mean_{j→i} Σ_k B_k(u_ji) x_j W_k + x_i W_root + b.
 * Degree 1, open: v = u·(K − 1), B_⌊v⌋ = 1 − frac(v), B_⌊v⌋+1 = frac(v).
 * Init as PyG: W, W_root and b ~ U(±1/sqrt(in·K)) (the core 'torch' init with that fan-in).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { Feedback } from '../../../feedback';
import { propagate } from '../../../engine/ops/propagate';
import { initBias, initWeights } from '../../../nn/init';
import type { Graph } from './graph';
import { project, type NodeInput } from './input';
import { param } from './param';

export class SplineConv {
  readonly weights: tf.Variable[];
  readonly root: tf.Variable;
  readonly bias: tf.Variable;
  private basisCache = new WeakMap<Float32Array, Float32Array[]>();

  constructor(rng: Rng, readonly inChannels: number, readonly outChannels: number, readonly kernelSize = 2, readonly name = 'spline') {
    if (kernelSize < 2) throw new Error(`SplineConv: kernelSize must be >= 2 for degree 1, got ${kernelSize}`);
    const size = inChannels * kernelSize;
    const w = () => param(initWeights('torch', rng, inChannels, outChannels, size), [inChannels, outChannels]);
    this.weights = Array.from({ length: kernelSize }, w);
    this.root = w();
    this.bias = param(initBias('torch', rng, size, outChannels), [outChannels]);
  }

  params(): tf.Variable[] {
    return [...this.weights, this.root, this.bias];
  }

  /** Per-kernel edge weights B_k(u_e) / indeg(dst_e) (the mean aggregation folded in). */
  basis(g: Graph, pseudo: Float32Array): Float32Array[] {
    let b = this.basisCache.get(pseudo);
    if (b) return b;
    const K = this.kernelSize, E = g.numEdges, deg = g.inDegree();
    b = Array.from({ length: K }, () => new Float32Array(E));
    for (let e = 0; e < E; e++) {
      const u = pseudo[e]!;
      if (!(u >= 0 && u <= 1)) throw new Error(`SplineConv: pseudo-coordinate ${u} of edge ${e} is outside [0, 1]`);
      const v = u * (K - 1);
      const lo = Math.floor(v), frac = v - lo;
      const inv = 1 / deg[g.dst[e]!]!;
      b[lo % K]![e]! += (1 - frac) * inv;
      b[(lo + 1) % K]![e]! += frac * inv;
    }
    this.basisCache.set(pseudo, b);
    return b;
  }

  /** `fb`: a dense input's products (root and kernels) go through it (the layer-wise methods' feedback, named `<name>.root`, `<name>.k<k>`). */
  forward(x: NodeInput, g: Graph, fb?: Feedback | null, pseudo: Float32Array = g.targetIndegree()): tf.Tensor {
    if (pseudo.length !== g.numEdges) throw new Error(`SplineConv: ${pseudo.length} pseudo-coordinates for ${g.numEdges} edges`);
    const b = this.basis(g, pseudo);
    let out = tf.add(project(x, this.root, fb, `${this.name}.root`), this.bias);
    for (let k = 0; k < this.kernelSize; k++) out = tf.add(out, propagate(project(x, this.weights[k]!, fb, `${this.name}.k${k}`), g, b[k]!));
    return out;
  }
}
