/**
 * Timing in the manner of ../shared/anchors: warm-up, windows of ~windowS seconds, median of
 * the per-window mean, and a contention guard (a window is redone, up to 3 tries, when other
 * processes used more than 10 % of the machine during it).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';

function cpuSnap(): { wall: number; busy: number; own: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const busy = (f[0]! + f[1]! + f[2]! + f[5]! + f[6]!) / 100; // USER_HZ = 100 on Linux
  const u = process.cpuUsage();
  return { wall: performance.now() / 1000, busy, own: (u.user + u.system) / 1e6 };
}

export function foreignShare(a: ReturnType<typeof cpuSnap>, b: ReturnType<typeof cpuSnap>): number {
  const wall = b.wall - a.wall;
  return Math.max(0, ((b.busy - a.busy) - (b.own - a.own)) / (wall * cpus().length));
}

export interface Window { s: number; foreign: number }

/** Mean seconds per call of `step` over a window of about `windowS` seconds. */
export function timedWindow(step: () => void, n: number, maxForeign = 0.1, tries = 3): Window {
  let best: Window | null = null;
  for (let t = 0; t < tries; t++) {
    const s0 = cpuSnap();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) step();
    const w = { s: (performance.now() - t0) / 1000 / n, foreign: foreignShare(s0, cpuSnap()) };
    if (!best || w.foreign < best.foreign) best = w;
    if (w.foreign < maxForeign) break;
  }
  return best!;
}

/** Steps per window so that one window lasts about windowS seconds. */
export function calibrate(step: () => void, windowS: number): number {
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 300 || n < 3) {
    step();
    n++;
  }
  const per = (performance.now() - t0) / 1000 / n;
  return Math.max(3, Math.round(windowS / per));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Interleaved windows: modes are timed window by window in turn (A, B, C, A, B, C, ...), so
 * drift of a shared machine hits them alike. Returns per-mode window lists.
 */
export function interleaved(steps: Record<string, () => void>, windows: number, windowS: number): Record<string, Window[]> {
  const n: Record<string, number> = {};
  for (const [k, f] of Object.entries(steps)) n[k] = calibrate(f, windowS);
  const out: Record<string, Window[]> = {};
  for (let w = 0; w < windows; w++) {
    for (const [k, f] of Object.entries(steps)) (out[k] ??= []).push(timedWindow(f, n[k]!));
  }
  return out;
}
