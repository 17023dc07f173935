/** Node-only: where and with what a run ran (recorded beside every result). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { hostname, cpus } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export interface RunEnvironment {
  /** git commit of the package (with '-dirty' when the tree has changes), or its version */
  version: string;
  backend: string;
  threads: number;
  host: string;
  cpu: string;
  node: string;
}

const ROOT = join(import.meta.dirname, '..', '..');
let cachedVersion: string | null = null;

/** The code's identity: the git commit (+ '-dirty'), else package.json's version. */
export function codeVersion(): string {
  if (cachedVersion) return cachedVersion;
  try {
    const head = execFileSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    cachedVersion = head + (dirty ? '-dirty' : '');
  } catch {
    const pkg = join(ROOT, 'package.json');
    cachedVersion = existsSync(pkg) ? `v${(JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version}` : 'unknown';
  }
  return cachedVersion;
}

export function runEnvironment(): RunEnvironment {
  const threads = Number(process.env.DFA_NUM_THREADS) || cpus().length;
  return { version: codeVersion(), backend: tf.getBackend(), threads, host: hostname(), cpu: cpus()[0]?.model ?? 'unknown', node: process.versions.node };
}
