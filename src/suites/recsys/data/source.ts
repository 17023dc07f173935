/**
 * Processed rows, read in chunks: each row is 40 int32 (label, then 39 field indices, each in
 * [0, fieldDims[f])). A file-backed source reads the cache with positioned reads, so training
 * on 45M rows holds only one chunk in memory; an in-memory source serves tests and small data.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { NUM_COLUMNS } from './format';

export interface RowSource {
  readonly numRows: number;
  readonly fieldDims: number[];
  /** Rows [start, start+count) as count × 40 int32. */
  read(start: number, count: number): Int32Array;
  close?(): void;
}

export class MemoryRowSource implements RowSource {
  readonly numRows: number;
  constructor(readonly rows: Int32Array, readonly fieldDims: number[]) {
    if (rows.length % NUM_COLUMNS !== 0) throw new Error(`MemoryRowSource: ${rows.length} values is not a multiple of ${NUM_COLUMNS}`);
    this.numRows = rows.length / NUM_COLUMNS;
  }
  read(start: number, count: number): Int32Array {
    return this.rows.subarray(start * NUM_COLUMNS, (start + count) * NUM_COLUMNS);
  }
}

export class FileRowSource implements RowSource {
  private fd: number;
  readonly numRows: number;
  constructor(readonly path: string, readonly fieldDims: number[]) {
    this.fd = openSync(path, 'r');
    const bytes = fstatSync(this.fd).size;
    if (bytes % (NUM_COLUMNS * 4) !== 0) throw new Error(`${path}: ${bytes} bytes is not a whole number of ${NUM_COLUMNS}-int32 rows (truncated cache? rebuild it)`);
    this.numRows = bytes / (NUM_COLUMNS * 4);
  }
  read(start: number, count: number): Int32Array {
    count = Math.max(0, Math.min(count, this.numRows - start));
    const out = new Int32Array(count * NUM_COLUMNS);
    const buf = new Uint8Array(out.buffer);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(this.fd, buf, off, buf.length - off, start * NUM_COLUMNS * 4 + off);
      if (n === 0) throw new Error(`${this.path}: unexpected end of file`);
      off += n;
    }
    return out;
  }
  close(): void {
    closeSync(this.fd);
  }
}
