/**
 * Processed rows, read in chunks: each row is 40 int32 (label, then 39 field indices, each in
 * [0, fieldDims[f])). A file-backed source reads the cache with positioned reads, so training
 * on 45M rows holds only one chunk in memory; an in-memory source serves tests and small data.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FIELD_NAMES, NUM_COLUMNS, NUM_FIELDS } from './format';

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

/**
 * Every label 0/1 and every index inside its field's table: a damaged cache must stop here, naming
 * the file, not reach an embedding lookup with an index past the table.
 */
function checkRows(rows: Int32Array, fieldDims: number[], start: number, path: string): void {
  const fail = (o: number, what: string): never => {
    throw new Error(`${path}: row ${start + o / NUM_COLUMNS}: ${what}: the cache is damaged; delete ${dirname(path)} to rebuild it`);
  };
  for (let o = 0; o < rows.length; o += NUM_COLUMNS) {
    if (rows[o] !== 0 && rows[o] !== 1) fail(o, `label ${rows[o]}`);
    for (let f = 0; f < NUM_FIELDS; f++) {
      const v = rows[o + 1 + f]!;
      if (!(v >= 0 && v < fieldDims[f]!)) fail(o, `${FIELD_NAMES[f]} index ${v} outside [0, ${fieldDims[f]}) (the field sizes in ${join(dirname(path), 'meta.json')})`);
    }
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
    checkRows(out, this.fieldDims, start, this.path);
    return out;
  }
  close(): void {
    closeSync(this.fd);
  }
}
