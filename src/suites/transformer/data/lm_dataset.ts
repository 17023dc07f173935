/**
 * Language-model batches: the token stream cut into chunks of `ctx` inputs whose targets are the
 * next tokens (chunk i covers ids[i*ctx .. i*ctx+ctx], inputs the first ctx, targets the last ctx),
 * shuffled with an Rng each pass and grouped into batches of `batch` chunks.
 */
import type { Rng, RngState } from '../../../engine/rng';

export interface LmBatch {
  inputs: Int32Array; // [batch * ctx], row-major
  targets: Int32Array;
  batch: number;
  ctx: number;
}

export class LmDataset {
  readonly numChunks: number;

  constructor(readonly ids: Int32Array, readonly ctx: number) {
    if (!Number.isInteger(ctx) || ctx < 1) throw new Error(`LmDataset: ctx must be a positive integer, got ${ctx}`);
    this.numChunks = Math.floor((ids.length - 1) / ctx);
    if (this.numChunks < 1) throw new Error(`LmDataset: ${ids.length} tokens are fewer than one chunk of ${ctx}+1`);
  }

  get numTokens(): number {
    return this.numChunks * this.ctx;
  }

  /** The batch made of the given chunk indices. */
  gather(chunks: ArrayLike<number>): LmBatch {
    const b = chunks.length, T = this.ctx;
    const inputs = new Int32Array(b * T), targets = new Int32Array(b * T);
    for (let r = 0; r < b; r++) {
      const s = chunks[r]! * T;
      inputs.set(this.ids.subarray(s, s + T), r * T);
      targets.set(this.ids.subarray(s + 1, s + 1 + T), r * T);
    }
    return { inputs, targets, batch: b, ctx: T };
  }

  /** Endless shuffled batches (see LmBatchStream). */
  stream(batch: number, rng: Rng): LmBatchStream {
    return new LmBatchStream(this, batch, rng);
  }

  /** Batches in order over the first `maxChunks` chunks (evaluation), the last one possibly short. */
  *sequential(batch: number, maxChunks = Infinity): Generator<LmBatch> {
    const n = Math.min(this.numChunks, maxChunks);
    for (let i = 0; i < n; i += batch) {
      const idx: number[] = [];
      for (let j = i; j < Math.min(n, i + batch); j++) idx.push(j);
      yield this.gather(idx);
    }
  }
}

/** Where a stream stands: the Rng before the current pass's permutation, and the chunks taken from it. */
export interface LmStreamState {
  rng: RngState;
  taken: number;
}

/**
 * Passes over the training chunks without end: each pass a permutation drawn from `rng`, cut into
 * batches (the last partial batch of a pass is dropped), the next pass when it runs out. Training
 * epochs of a fixed number of steps take their batches from it, so a pass runs on across epochs.
 * Its state (getState/setState) resumes it at the same batch.
 */
export class LmBatchStream {
  private perm: Int32Array | null = null;
  private passStart: RngState;
  private taken = 0;

  constructor(readonly data: LmDataset, readonly batch: number, private readonly rng: Rng) {
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`LmBatchStream: batch must be a positive integer, got ${batch}`);
    if (data.numChunks < batch) throw new Error(`training set has ${data.numChunks} chunks, fewer than one batch of ${batch}`);
    this.passStart = rng.getState();
  }

  /** Batches per pass over the data. */
  get batchesPerPass(): number {
    return Math.floor(this.data.numChunks / this.batch);
  }

  next(): LmBatch {
    if (!this.perm || this.taken + this.batch > this.perm.length) {
      this.passStart = this.rng.getState();
      this.perm = this.rng.permutation(this.data.numChunks);
      this.taken = 0;
    }
    const b = this.data.gather(this.perm.subarray(this.taken, this.taken + this.batch));
    this.taken += this.batch;
    return b;
  }

  getState(): LmStreamState | null {
    return this.perm ? { rng: this.passStart, taken: this.taken } : null;
  }

  setState(s: LmStreamState | null): void {
    if (!s) {
      this.perm = null;
      return;
    }
    this.rng.setState(s.rng);
    this.passStart = s.rng;
    this.perm = this.rng.permutation(this.data.numChunks);
    this.taken = s.taken;
  }
}
