/** Runs PyTorch reference scripts beside our benchmarks (Debian's /usr/bin/python3 + python3-torch). */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../src/data/paths';

export const PYTHON = '/usr/bin/python3';
export const ANCHORS = resolve(REPO_ROOT, '..', 'shared', 'anchors');

/** null when torch is importable, else the reason the PyTorch column is skipped. */
export function torchMissing(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return `${PYTHON} has no torch (apt-get install -y python3-torch)`;
  return null;
}

/** Runs a python script with args plus `--json <tmp>` and returns the parsed JSON. */
export function runTorchJson(script: string, args: string[]): unknown {
  const out = join(mkdtempSync(join(tmpdir(), 'dfa-bench-')), 'torch.json');
  const r = spawnSync(PYTHON, [script, ...args, '--json', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-2000)}`);
  return JSON.parse(readFileSync(out, 'utf8'));
}
