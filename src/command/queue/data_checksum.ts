/**
 * The identity of a data file or folder: a SHA-256 over every file in it (relative path and the
 * SHA-256 of its content; dot-files skipped), computed once per process and path. Kept free of
 * heavy imports: a job process checks its data before it loads anything else.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export interface Checksum {
  checksum: string;
  files: number;
  bytes: number;
  seconds: number;
}

const cache = new Map<string, Checksum | null>();

/** The checksum of a file or folder (null when it does not exist). */
export function dataChecksum(path: string): Checksum | null {
  const abs = resolve(path);
  if (cache.has(abs)) return cache.get(abs)!;
  const r = existsSync(abs) ? compute(abs) : null;
  cache.set(abs, r);
  return r;
}

function compute(root: string): Checksum {
  const t0 = performance.now();
  const files: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.startsWith('.')) walk(join(p, name));
    } else if (st.isFile()) files.push(p);
  };
  walk(root);
  const all = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  for (const f of files) {
    const h = createHash('sha256');
    const fd = openSync(f, 'r');
    try {
      for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) {
        h.update(buf.subarray(0, n));
        bytes += n;
      }
    } finally {
      closeSync(fd);
    }
    all.update(`${relative(root, f) || '.'}\0${h.digest('hex')}\n`);
  }
  return { checksum: `sha256:${all.digest('hex')}`, files: files.length, bytes, seconds: (performance.now() - t0) / 1000 };
}

export function short(checksum: string | null): string {
  return checksum ? checksum.replace(/^sha256:/, '').slice(0, 12) : 'none';
}
