/**
 * Language-model batches: the token stream cut into chunks of `ctx` inputs whose targets are the
 * next tokens (chunk i covers ids[i*ctx .. i*ctx+ctx], inputs the first ctx, targets the last ctx),
 * shuffled with an Rng each epoch and grouped into batches of `batch` chunks.
 */
import type { Rng } from '../../../engine/rng';

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

  /** One epoch of shuffled batches (the last partial batch is dropped). */
  *epoch(batch: number, rng: Rng): Generator<LmBatch> {
    const perm = rng.permutation(this.numChunks);
    for (let i = 0; i + batch <= perm.length; i += batch) yield this.gather(perm.subarray(i, i + batch));
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
