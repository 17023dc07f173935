/**
 * MathBackendCPU with a float32 buffer pool. Native kernels take their outputs from the pool
 * (`alloc`) and disposed tensors give their buffers back, which saves V8 allocation and
 * garbage collection of large arrays on every op.
 *
 * Safety: a pooled buffer is only reused when nothing else can still see it. Each owned buffer
 * counts the tensor-data entries that hold it (a cpu kernel may hand an input's array, or a
 * subarray of it, to its output), and goes back to the pool only when that count is zero. A
 * buffer that escaped to user code (readSync / dataSync) is pinned and left to the GC.
 */
import { totalmem } from 'node:os';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './types';

type DataId = object;
// A fresh buffer costs its page faults (~0.8 ms per MB here: ~100 ms for one of AFN's 2048 × 15,000
// activations, 0.3-1 s per step of the full NeRF, which allocates ~3 GB of activations and
// gradients). The pool keeps freed buffers up to the most pooled-size memory the process has had
// live at once: a training loop allocates the same buffers every step, so from the second step on
// they all come from the pool, and the pool never holds more than the process already needed at
// its peak. At least MIN_POOL_CAP (AFN's five buffers), at most a quarter of the machine's memory.
const MIN_POOL_CAP = 1024 * 1024 * 1024;
const MAX_POOL_CAP = Math.max(MIN_POOL_CAP, Math.floor(totalmem() / 4));
const MIN_POOLED_LENGTH = 1024; // small arrays are cheap; pooling them costs more than it saves

export class NativeBackend extends MathBackendCPU {
  /** Buffers this backend allocated, with the number of data entries holding each. */
  private uses = new WeakMap<ArrayBuffer, number>();
  private pinned = new WeakSet<ArrayBuffer>();
  private pool = new Map<number, Float32Array[]>();
  private pooledBytes = 0;
  /** bytes of buffers from alloc() that are held now, and the most at once */
  private liveBytes = 0;
  private peakLiveBytes = 0;
  /** pooled-size buffers created fresh (not from the pool) */
  private freshAllocs = 0;

  constructor(readonly addon: NativeAddon) {
    super();
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** A float32 output buffer of exactly `n` elements; contents are undefined. */
  alloc(n: number): Float32Array {
    let out = n >= MIN_POOLED_LENGTH ? this.pool.get(n)?.pop() : undefined;
    if (out) this.pooledBytes -= out.byteLength;
    else {
      out = new Float32Array(n);
      this.uses.set(out.buffer as ArrayBuffer, 0);
      if (n >= MIN_POOLED_LENGTH) this.freshAllocs++;
    }
    if (n >= MIN_POOLED_LENGTH) {
      this.liveBytes += out.byteLength;
      if (this.liveBytes > this.peakLiveBytes) this.peakLiveBytes = this.liveBytes;
    }
    return out;
  }

  /**
   * Gives back a buffer from alloc() that no tensor holds (a kernel's scratch space): it goes back
   * to the pool at once.
   */
  release(buf: Float32Array): void {
    if (this.uses.get(buf.buffer as ArrayBuffer) !== 0) throw new Error('NativeBackend.release: the buffer is held by a tensor or was not allocated here');
    this.free(buf);
  }

  private hold(values: unknown, delta: number): void {
    const ab = (values as Float32Array | undefined)?.buffer as ArrayBuffer | undefined;
    if (!ab) return;
    const n = this.uses.get(ab);
    if (n === undefined) return;
    this.uses.set(ab, n + delta);
    if (n + delta === 0 && delta < 0) this.free(values as Float32Array);
  }

  /** A buffer from alloc() no tensor holds any more: no longer live; pooled when it may be reused. */
  private free(v: Float32Array): void {
    if (v.buffer.byteLength >= 4 * MIN_POOLED_LENGTH) this.liveBytes -= v.buffer.byteLength;
    this.recycle(v);
  }

  override write(values: Parameters<MathBackendCPU['write']>[0], shape: number[], dtype: Parameters<MathBackendCPU['write']>[2]): DataId {
    this.hold(values, +1);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: Parameters<MathBackendCPU['move']>[1], shape: number[], dtype: Parameters<MathBackendCPU['move']>[3], refCount: number): void {
    this.hold(values, +1);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: DataId): ReturnType<MathBackendCPU['readSync']> {
    const vals = super.readSync(dataId) as Float32Array;
    if (vals && vals.buffer) this.pinned.add(vals.buffer as ArrayBuffer);
    return vals;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    if (!this.data.has(dataId)) return true;
    const values = this.data.get(dataId).values;
    const released = super.disposeData(dataId, force);
    if (released) this.hold(values, -1);
    return released;
  }

  private recycle(v: Float32Array): void {
    const ab = v.buffer as ArrayBuffer;
    if (this.pinned.has(ab) || !(v instanceof Float32Array) || ab.byteLength < 4 * MIN_POOLED_LENGTH) return;
    const cap = Math.min(MAX_POOL_CAP, Math.max(MIN_POOL_CAP, this.peakLiveBytes));
    if (this.pooledBytes + ab.byteLength > cap) return;
    const whole = v.byteOffset === 0 && v.byteLength === ab.byteLength ? v : new Float32Array(ab);
    let list = this.pool.get(whole.length);
    if (!list) this.pool.set(whole.length, (list = []));
    list.push(whole);
    this.pooledBytes += ab.byteLength;
  }

  /** True when dataId's buffer has exactly one holder and never escaped to user code. */
  canWriteInPlace(dataId: DataId): boolean {
    if (!this.data.has(dataId)) return false;
    const d = this.data.get(dataId);
    const v = d.values as Float32Array | undefined;
    if (!(v instanceof Float32Array) || d.refCount !== 1) return false;
    const ab = v.buffer as ArrayBuffer;
    return this.uses.get(ab) === 1 && !this.pinned.has(ab) && v.byteOffset === 0 && v.byteLength === ab.byteLength;
  }

  /** The pool's state: bytes pooled, bytes of pooled-size buffers live now and at most, fresh allocations so far. */
  poolStats(): { pooledBytes: number; liveBytes: number; peakLiveBytes: number; freshAllocs: number } {
    return { pooledBytes: this.pooledBytes, liveBytes: this.liveBytes, peakLiveBytes: this.peakLiveBytes, freshAllocs: this.freshAllocs };
  }

  /** Drops every pooled buffer (tests, or before a memory-hungry phase). */
  drainPool(): void {
    this.pool.clear();
    this.pooledBytes = 0;
  }
}
