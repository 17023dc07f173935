/**
 * The layer-wise methods' feedback: each weight layer sends its input a gradient through a
 * feedback matrix B_l in place of its forward weight W (dense: dy · B_l instead of dy · Wᵀ, B_l
 * shaped like Wᵀ [out, in]; convolution: the input-gradient convolution of dy with a kernel B_l
 * shaped like W [KH, KW, C_in, C_out] instead of W itself):
 *   fa    B = R, R ~ U(−a, a) drawn once per layer                       (Lillicrap et al. 2016)
 *   usf   B = s · sign(W)                                                 (Liao, Leibo & Poggio 2016)
 *   frsf  B = |R| ⊙ sign(W), R ~ U(−a, a) drawn once per layer           (Liao et al.; Moskovitz et al. 2018)
 *   brsf  B = |R_t| ⊙ sign(W), R_t ~ U(−a, a) drawn anew for every batch t
 * (sign(W) in B's layout: transposed for a dense layer) with a = sqrt(6 / (fanIn + fanOut))
 * (Glorot-uniform; dense: fanIn = in, fanOut = out; convolution: fanIn = KH·KW·C_in, fanOut =
 * KH·KW·C_out, as Keras) and s = a/√3 = sqrt(2 / (fanIn + fanOut)), its RMS. So every B_l has
 * the RMS of a Glorot-uniform weight, and with Glorot-initialised W the signals have BP's
 * magnitude at init; the methods differ only in where the signs and magnitudes come from
 * (BioTorch scales uSF the same way, for Linear and Conv2d). sign(W) is W's current sign at each
 * step; sign(0) = 0.
 *
 * brsf's draw for batch t comes from `rng.fork('brsf').fork(<layer>).fork(t)`: counter-based, so
 * the state to checkpoint is the batch counter and that stream, and the layers' order does not matter.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, type RngState } from '../engine/rng';
import type { LayerwiseMethod } from './methods';

/** A layer's stored matrix in a checkpoint: B's layout (dense [out, in]; convolution W's [KH, KW, C_in, C_out]). */
export interface LayerMatrixState {
  shape: number[];
  data: Float32Array;
}

/** How a weight maps to its feedback matrix. */
interface Geometry {
  kind: 'dense' | 'conv';
  fanIn: number;
  fanOut: number;
  /** B's shape: Wᵀ's for a dense layer, W's for a convolution */
  shape: number[];
  size: number;
}

/** A weight's geometry: a dense W [in, out] or a convolution kernel [KH, KW, C_in, C_out]. */
export function geometry(W: tf.Tensor, method: string, name: string): Geometry {
  if (W.rank === 2) {
    const [nin, nout] = W.shape as [number, number];
    return { kind: 'dense', fanIn: nin, fanOut: nout, shape: [nout, nin], size: nin * nout };
  }
  if (W.rank === 4) {
    const [kh, kw, ci, co] = W.shape as [number, number, number, number];
    return { kind: 'conv', fanIn: kh * kw * ci, fanOut: kh * kw * co, shape: W.shape.slice(), size: W.size };
  }
  throw new Error(`${method}: weight '${name}' has shape [${W.shape}]; the layer-wise methods treat dense weights [in, out] and convolution kernels [KH, KW, C_in, C_out]`);
}

/** W laid out as its feedback matrix (a new tensor): Wᵀ for a dense layer, W for a convolution. */
export function forwardInLayout(W: tf.Tensor): tf.Tensor {
  return W.rank === 2 ? tf.transpose(W) : W.clone();
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const layoutName = (g: Geometry) => (g.kind === 'dense' ? 'W^T [out, in]' : 'W [KH, KW, C_in, C_out]');

interface Layer {
  /** the weight seen at the layer's last treated forward */
  W: tf.Tensor;
  /** the stored matrix in B's layout: fa's B, frsf's |R|; null for usf and brsf */
  M: tf.Tensor | null;
}

export class LayerFeedback {
  private readonly layers = new Map<string, Layer>();
  /** matrices restored by setState(), attached to their layer at its next forward */
  private readonly pending = new Map<string, LayerMatrixState>();

  /** brsf: the stream every batch's draw is derived from (saved in checkpoints) */
  private brsfRoot: Rng;

  constructor(readonly method: LayerwiseMethod, private readonly rng: Rng) {
    this.brsfRoot = rng.fork('brsf');
  }

  /** brsf's stream state (checkpoints). */
  get brsfState(): RngState {
    return this.brsfRoot.getState();
  }

  set brsfState(s: RngState) {
    this.brsfRoot = new Rng(s);
  }

  /** At each treated forward of layer `name`: checks shapes; draws (or restores) the stored matrix at first use. */
  attach(name: string, W: tf.Tensor): void {
    const g = geometry(W, this.method, name);
    const have = this.layers.get(name);
    if (have) {
      if (!sameShape(have.W.shape, W.shape)) {
        throw new Error(`${this.method}: layer '${name}' has W [${W.shape}] but was [${have.W.shape}] before; layer names must be unique`);
      }
      have.W = W;
      return;
    }
    this.layers.set(name, { W, M: this.stored(name, g) });
  }

  /** The matrix layer `name` backpropagates through at batch `pass`, for weight W, in B's layout (a new tensor). */
  feedback(name: string, W: tf.Tensor, pass: number): tf.Tensor {
    const g = geometry(W, this.method, name);
    return tf.tidy(() => {
      const M = this.layers.get(name)?.M;
      if (this.method === 'fa') return M!.clone();
      const sign = g.kind === 'dense' ? tf.transpose(tf.sign(W)) : tf.sign(W);
      if (this.method === 'usf') return tf.mul(sign, Math.sqrt(2 / (g.fanIn + g.fanOut)));
      const mag = this.method === 'frsf' ? M! : tf.tensor(this.magnitudes(this.brsfRoot.fork(name).fork(String(pass)), g), g.shape);
      return tf.mul(mag, sign);
    });
  }

  /** As feedback(), for a layer seen before (its last W), or null. */
  feedbackOf(name: string, pass: number): tf.Tensor | null {
    const l = this.layers.get(name);
    return l ? this.feedback(name, l.W, pass) : null;
  }

  /** Names of the layers seen, in first-seen order, with their current feedback matrix (new tensors). */
  matrices(pass: number): Array<{ name: string; B: tf.Tensor; W: tf.Tensor }> {
    return [...this.layers.entries()].map(([name, l]) => ({ name, B: this.feedback(name, l.W, pass), W: l.W }));
  }

  /** The stored matrix of layer `name` (fa: B; frsf: |R|), null if none (yet). Owned here. */
  storedOf(name: string): tf.Tensor | null {
    return this.layers.get(name)?.M ?? null;
  }

  /** Sets the stored matrix (fa: B; frsf: |R|), in B's layout (dense: Wᵀ's [out, in]; convolution: W's). */
  setStored(name: string, M: tf.Tensor, W: tf.Tensor): void {
    if (this.method !== 'fa' && this.method !== 'frsf') throw new Error(`${this.method} stores no feedback matrix per layer (only fa and frsf do)`);
    const g = geometry(W, this.method, name);
    if (!sameShape(M.shape, g.shape)) {
      throw new Error(`${this.method.toUpperCase()} matrix for '${name}' must be shaped like ${layoutName(g)} [${g.shape}], got [${M.shape}]`);
    }
    this.layers.get(name)?.M?.dispose();
    this.pending.delete(name);
    this.layers.set(name, { W, M: tf.keep(M.clone()) });
  }

  getState(): Record<string, LayerMatrixState> {
    const out: Record<string, LayerMatrixState> = {};
    for (const [n, m] of this.pending) out[n] = m;
    for (const [n, { M }] of this.layers) if (M) out[n] = { shape: M.shape.slice(), data: M.dataSync() as Float32Array };
    return out;
  }

  setState(s: Record<string, LayerMatrixState>): void {
    for (const [n, m] of Object.entries(s)) {
      this.layers.get(n)?.M?.dispose();
      this.layers.delete(n);
      this.pending.set(n, m);
    }
  }

  dispose(): void {
    for (const { M } of this.layers.values()) M?.dispose();
    this.layers.clear();
  }

  private stored(name: string, g: Geometry): tf.Tensor | null {
    if (this.method !== 'fa' && this.method !== 'frsf') return null;
    const pending = this.pending.get(name);
    let data: Float32Array;
    if (pending) {
      if (!sameShape(pending.shape, g.shape)) {
        throw new Error(`${this.method.toUpperCase()}: restored feedback matrix for '${name}' is [${pending.shape}], expected [${g.shape}]`);
      }
      data = Float32Array.from(pending.data);
      this.pending.delete(name);
    } else if (this.method === 'fa') {
      const a = Math.sqrt(6 / (g.fanIn + g.fanOut));
      data = this.rng.fork(`fa:${name}`).uniformArray(g.size, -a, a);
    } else {
      data = this.magnitudes(this.rng.fork(`frsf:${name}`), g);
    }
    return tf.keep(tf.tensor(data, g.shape));
  }

  /** |R|, R ~ U(−a, a), a = sqrt(6 / (fanIn + fanOut)), in B's layout. */
  private magnitudes(rng: Rng, g: Geometry): Float32Array {
    const a = Math.sqrt(6 / (g.fanIn + g.fanOut));
    const r = rng.uniformArray(g.size, -a, a);
    for (let i = 0; i < r.length; i++) r[i] = Math.abs(r[i]!);
    return r;
  }
}
