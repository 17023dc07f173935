/**
 * Per-kernel time of a training step from tf.profile, aggregated by kernel name (or name and
 * input shapes), plus the step's unprofiled time; shared by the profile_* scripts.
 */
import * as tf from '@tensorflow/tfjs';

export interface KernelProfile {
  /** ms per step without profiling, with profiling, and summed over kernels */
  plainMs: number;
  profiledMs: number;
  kernelMs: number;
  kernelsPerStep: number;
  /** [key, ms per step, calls per step], slowest first */
  rows: [string, number, number][];
}

export async function profileKernels(step: () => void, steps: number, byShape: boolean): Promise<KernelProfile> {
  let wall = 0;
  const agg = new Map<string, { ms: number; n: number }>();
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    const p = await tf.profile(step);
    wall += performance.now() - t0;
    for (const k of p.kernels) {
      const key = byShape ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
      const a = agg.get(key) ?? { ms: 0, n: 0 };
      a.ms += (await k.kernelTimeMs) as number;
      a.n++;
      agg.set(key, a);
    }
  }
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) step();
  const plainMs = (performance.now() - t0) / steps;
  const rows = [...agg].sort((a, b) => b[1].ms - a[1].ms).map(([k, a]) => [k, a.ms / steps, a.n / steps] as [string, number, number]);
  return {
    plainMs, profiledMs: wall / steps, kernelMs: rows.reduce((s, r) => s + r[1], 0), kernelsPerStep: rows.reduce((s, r) => s + r[2], 0), rows,
  };
}

export function printKernelRows(p: KernelProfile, top: number): void {
  for (const [k, ms, n] of p.rows.slice(0, top)) console.log(`${ms.toFixed(2).padStart(8)} ms ${String(n).padStart(5)}x  ${k}`);
}
