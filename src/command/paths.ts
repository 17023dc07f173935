/**
 * Path checks done before a command's work starts: an input must exist (and be a file or a folder
 * as declared); an output must be creatable and writable (its folder, or the nearest existing
 * ancestor, is a writable folder), so a bad --json or --out is found before hours of training,
 * not after. A path under /proc or /sys is never writable for results.
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export type PathKind = 'in-file' | 'in-dir' | 'in-any' | 'out-file' | 'out-dir';

export function checkInputPath(p: string, kind: PathKind): string | null {
  if (!existsSync(p)) return 'does not exist';
  const st = statSync(p);
  if (kind === 'in-file' && !st.isFile()) return 'is not a file';
  if (kind === 'in-dir' && !st.isDirectory()) return 'is not a folder';
  try {
    accessSync(p, constants.R_OK);
  } catch {
    return 'is not readable';
  }
  return null;
}

export function checkOutputPath(p: string, kind: PathKind): string | null {
  const abs = resolve(p);
  if (KERNEL_FS.test(abs) || KERNEL_FS.test(realPath(abs))) return 'is inside a kernel file system (/proc, /sys), where results cannot be written';
  if (existsSync(abs)) {
    const st = statSync(abs);
    if (kind === 'out-file' && st.isDirectory()) return 'is a folder, not a file';
    if (kind === 'out-dir' && !st.isDirectory()) return 'exists and is not a folder';
    return writable(kind === 'out-dir' ? abs : dirname(abs)) ? null : 'is not writable';
  }
  let dir = kind === 'out-dir' ? abs : dirname(abs);
  while (!existsSync(dir)) {
    const up = dirname(dir);
    if (up === dir) return 'cannot be created';
    dir = up;
  }
  if (!statSync(dir).isDirectory()) return `cannot be created: ${dir} is a file`;
  return writable(dir) ? null : `cannot be created: ${dir} is not writable`;
}

const KERNEL_FS = /^\/(proc|sys)(\/|$)/;

/** The path with symbolic links resolved in its longest existing part (a link to /proc is /proc). */
function realPath(abs: string): string {
  let dir = abs;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    return join(realpathSync(dir), relative(dir, abs));
  } catch {
    return abs;
  }
}

function writable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
