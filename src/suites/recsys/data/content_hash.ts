/**
 * The identity of a data file: the SHA-256 of its bytes, read in 4 MiB blocks (constant memory at
 * any size). Caches and run parameters are keyed by it, never by path, size or modification time,
 * which a rewrite can keep. Cost: one read of the file (~0.64 GB/s on this machine from the page
 * cache: 0.8 s for the 2M-row synthetic TSV of 500 MB, ~17 s for the 11 GB Criteo train.txt).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

const BLOCK = 4 << 20;

export function sha256OfFile(path: string): string {
  const h = createHash('sha256');
  const buf = Buffer.allocUnsafe(BLOCK);
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, buf, 0, BLOCK, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
