/**
 * The layer-wise methods' feedback matrices: each dense layer y = x·W (W [in, out]) sends dy · B_l
 * to its input instead of dy · Wᵀ, B_l shaped like Wᵀ [out, in]:
 *   fa    B = R, R ~ U(−a, a) drawn once per layer                       (Lillicrap et al. 2016)
 *   usf   B = s · sign(W)ᵀ                                                (Liao, Leibo & Poggio 2016)
 *   frsf  B = |R| ⊙ sign(W)ᵀ, R ~ U(−a, a) drawn once per layer          (Liao et al.; Moskovitz et al. 2018)
 *   brsf  B = |R_t| ⊙ sign(W)ᵀ, R_t ~ U(−a, a) drawn anew for every batch t
 * with a = sqrt(6 / (in + out)) (Glorot-uniform) and s = a/√3 = sqrt(2 / (in + out)), its RMS.
 * So every B_l has the RMS of a Glorot-uniform weight, and with Glorot-initialised W the signals
 * have BP's magnitude at init; the methods differ only in where the signs and magnitudes come
 * from (BioTorch scales uSF the same way). sign(W) is W's current sign at each step; sign(0) = 0.
 *
 * brsf's draw for batch t comes from `rng.fork('brsf').fork(<layer>).fork(t)`: counter-based, so
 * the state to checkpoint is the batch counter and that stream, and the layers' order does not matter.
 * Dense layers only: convolutions get their treatment once the Conv2d layer exists.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, type RngState } from '../engine/rng';
import type { LayerwiseMethod } from './methods';
import type { MatrixState } from './projection';

interface Layer {
  /** the weight seen at the layer's last treated forward */
  W: tf.Tensor;
  /** the stored matrix [out, in]: fa's B, frsf's |R|; null for usf and brsf */
  M: tf.Tensor2D | null;
}

export class LayerFeedback {
  private readonly layers = new Map<string, Layer>();
  /** matrices restored by setState(), attached to their layer at its next forward */
  private readonly pending = new Map<string, MatrixState>();

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
    const [nin, nout] = W.shape as [number, number];
    const have = this.layers.get(name);
    if (have) {
      if (have.W.shape[0] !== nin || have.W.shape[1] !== nout) {
        throw new Error(`${this.method}: dense layer '${name}' has W [${W.shape}] but was [${have.W.shape}] before; layer names must be unique`);
      }
      have.W = W;
      return;
    }
    this.layers.set(name, { W, M: this.stored(name, nin, nout) });
  }

  /** The [out, in] matrix layer `name` backpropagates through at batch `pass`, for weight W (a new tensor). */
  feedback(name: string, W: tf.Tensor, pass: number): tf.Tensor2D {
    const [nin, nout] = W.shape as [number, number];
    return tf.tidy(() => {
      const M = this.layers.get(name)?.M;
      if (this.method === 'fa') return M!.clone();
      const signT = tf.transpose(tf.sign(W)) as tf.Tensor2D;
      if (this.method === 'usf') return tf.mul(signT, Math.sqrt(2 / (nin + nout))) as tf.Tensor2D;
      const mag = this.method === 'frsf' ? M! : tf.tensor2d(this.magnitudes(this.brsfRoot.fork(name).fork(String(pass)), nin, nout), [nout, nin]);
      return tf.mul(mag, signT) as tf.Tensor2D;
    });
  }

  /** As feedback(), for a layer seen before (its last W), or null. */
  feedbackOf(name: string, pass: number): tf.Tensor2D | null {
    const l = this.layers.get(name);
    return l ? this.feedback(name, l.W, pass) : null;
  }

  /** Names of the layers seen, in first-seen order, with their current feedback matrix (new tensors). */
  matrices(pass: number): Array<{ name: string; B: tf.Tensor2D; W: tf.Tensor }> {
    return [...this.layers.entries()].map(([name, l]) => ({ name, B: this.feedback(name, l.W, pass), W: l.W }));
  }

  /** The stored matrix of layer `name` (fa: B; frsf: |R|), null if none (yet). Owned here. */
  storedOf(name: string): tf.Tensor2D | null {
    return this.layers.get(name)?.M ?? null;
  }

  /** Sets the stored matrix (fa: B; frsf: |R|), shaped like Wᵀ [out, in]. */
  setStored(name: string, M: tf.Tensor2D, W: tf.Tensor): void {
    if (this.method !== 'fa' && this.method !== 'frsf') throw new Error(`${this.method} stores no feedback matrix per layer (only fa and frsf do)`);
    if (M.rank !== 2 || M.shape[0] !== W.shape[1] || M.shape[1] !== W.shape[0]) {
      throw new Error(`${this.method.toUpperCase()} matrix for '${name}' must be shaped like W^T [${W.shape[1]}, ${W.shape[0]}], got [${M.shape}]`);
    }
    this.layers.get(name)?.M?.dispose();
    this.pending.delete(name);
    this.layers.set(name, { W, M: tf.keep(M.clone()) });
  }

  getState(): Record<string, MatrixState> {
    const out: Record<string, MatrixState> = {};
    for (const [n, m] of this.pending) out[n] = m;
    for (const [n, { M }] of this.layers) if (M) out[n] = { shape: M.shape as [number, number], data: M.dataSync() as Float32Array };
    return out;
  }

  setState(s: Record<string, MatrixState>): void {
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

  private stored(name: string, nin: number, nout: number): tf.Tensor2D | null {
    if (this.method !== 'fa' && this.method !== 'frsf') return null;
    const pending = this.pending.get(name);
    let data: Float32Array;
    if (pending) {
      if (pending.shape[0] !== nout || pending.shape[1] !== nin) {
        throw new Error(`${this.method.toUpperCase()}: restored feedback matrix for '${name}' is [${pending.shape}], expected [${nout}, ${nin}]`);
      }
      data = Float32Array.from(pending.data);
      this.pending.delete(name);
    } else if (this.method === 'fa') {
      const a = Math.sqrt(6 / (nin + nout));
      data = this.rng.fork(`fa:${name}`).uniformArray(nin * nout, -a, a);
    } else {
      data = this.magnitudes(this.rng.fork(`frsf:${name}`), nin, nout);
    }
    return tf.keep(tf.tensor2d(data, [nout, nin]));
  }

  /** |R|, R ~ U(−a, a), a = sqrt(6 / (in + out)), laid out [out, in]. */
  private magnitudes(rng: Rng, nin: number, nout: number): Float32Array {
    const a = Math.sqrt(6 / (nin + nout));
    const r = rng.uniformArray(nin * nout, -a, a);
    for (let i = 0; i < r.length; i++) r[i] = Math.abs(r[i]!);
    return r;
  }
}
