/**
 * Where along each ray the networks are queried: stratified samples between near and far
 * (nerf's `perturb`), and hierarchical samples drawn by inverse-CDF from the coarse weights
 * (nerf's `sample_pdf`). Typed arrays, row-major [rays, samples]; sample depths carry no gradient.
 */
import type { Rng } from '../../../engine/rng';
import type { Rays } from './rays';

/**
 * `nSamples` depths per ray, evenly spaced in [near, far] (linear in depth, or in inverse depth
 * with `linDisp`); with `rng`, each depth is drawn uniformly within its stratum (between the
 * midpoints around it), so every point of the ray is sampled over training.
 */
export function stratifiedSamples(nRays: number, nSamples: number, near: number, far: number, rng?: Rng, linDisp = false): Float32Array {
  const z = new Float32Array(nRays * nSamples);
  const base = new Float64Array(nSamples);
  for (let s = 0; s < nSamples; s++) {
    const t = nSamples === 1 ? 0.5 : s / (nSamples - 1);
    base[s] = linDisp ? 1 / ((1 / near) * (1 - t) + (1 / far) * t) : near * (1 - t) + far * t;
  }
  for (let r = 0; r < nRays; r++) {
    for (let s = 0; s < nSamples; s++) {
      let v = base[s]!;
      if (rng && nSamples > 1) {
        const lower = s === 0 ? base[0]! : 0.5 * (base[s]! + base[s - 1]!);
        const upper = s === nSamples - 1 ? base[s]! : 0.5 * (base[s]! + base[s + 1]!);
        v = lower + (upper - lower) * rng.next();
      }
      z[r * nSamples + s] = v;
    }
  }
  return z;
}

/**
 * Inverse-transform sampling of a piecewise-constant pdf per ray: `bins` is [nRays, nb+1] edges,
 * `weights` [nRays, nb] (non-negative; 1e-5 is added as nerf does, so empty rays sample uniformly).
 * Returns [nRays, nSamples] depths. Without `rng` the quantiles are evenly spaced (nerf's `det`).
 */
export function samplePdf(bins: Float32Array, weights: Float32Array, nRays: number, nSamples: number, rng?: Rng): Float32Array {
  const nb = weights.length / nRays;
  if (!Number.isInteger(nb) || bins.length !== nRays * (nb + 1)) {
    throw new Error(`samplePdf: ${bins.length} bin edges and ${weights.length} weights do not fit ${nRays} rays`);
  }
  const out = new Float32Array(nRays * nSamples);
  const cdf = new Float64Array(nb + 1);
  for (let r = 0; r < nRays; r++) {
    let total = 0;
    for (let b = 0; b < nb; b++) total += weights[r * nb + b]! + 1e-5;
    cdf[0] = 0;
    for (let b = 0; b < nb; b++) cdf[b + 1] = cdf[b]! + (weights[r * nb + b]! + 1e-5) / total;
    cdf[nb] = 1;
    let idx = 0;
    for (let s = 0; s < nSamples; s++) {
      const u = rng ? rng.next() : nSamples === 1 ? 0.5 : s / (nSamples - 1);
      // first b with cdf[b+1] >= u (cdf is non-decreasing); for sorted det quantiles keep moving forward
      let b = rng ? 0 : idx;
      if (rng) {
        let lo = 0, hi = nb - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid + 1]! >= u) hi = mid; else lo = mid + 1;
        }
        b = lo;
      } else {
        while (b < nb - 1 && cdf[b + 1]! < u) b++;
        idx = b;
      }
      const c0 = cdf[b]!, c1 = cdf[b + 1]!;
      const denom = c1 - c0 < 1e-5 ? 1 : c1 - c0;
      const t = Math.min(1, Math.max(0, (u - c0) / denom));
      const e0 = bins[r * (nb + 1) + b]!, e1 = bins[r * (nb + 1) + b + 1]!;
      out[r * nSamples + s] = e0 + t * (e1 - e0);
    }
  }
  return out;
}

/**
 * nerf's hierarchical step: bins at the midpoints of the coarse depths, the coarse weights of the
 * interior samples as the pdf, `nImportance` new depths, merged and sorted with the coarse ones.
 */
export function hierarchicalSamples(zCoarse: Float32Array, weights: Float32Array, nRays: number, nImportance: number, rng?: Rng): Float32Array {
  const nc = zCoarse.length / nRays;
  const bins = new Float32Array(nRays * (nc - 1));
  const w = new Float32Array(nRays * (nc - 2));
  for (let r = 0; r < nRays; r++) {
    for (let s = 0; s < nc - 1; s++) bins[r * (nc - 1) + s] = 0.5 * (zCoarse[r * nc + s]! + zCoarse[r * nc + s + 1]!);
    for (let s = 1; s < nc - 1; s++) w[r * (nc - 2) + s - 1] = weights[r * nc + s]!;
  }
  const zs = samplePdf(bins, w, nRays, nImportance, rng);
  const nf = nc + nImportance;
  const out = new Float32Array(nRays * nf);
  const row = new Float32Array(nf);
  for (let r = 0; r < nRays; r++) {
    row.set(zCoarse.subarray(r * nc, r * nc + nc), 0);
    row.set(zs.subarray(r * nImportance, r * nImportance + nImportance), nc);
    row.sort();
    out.set(row, r * nf);
  }
  return out;
}

/** Sample points o + z·d, [nRays*nSamples, 3]. */
export function samplePositions(rays: Rays, z: Float32Array): Float32Array {
  const ns = z.length / rays.n;
  const pts = new Float32Array(z.length * 3);
  for (let r = 0; r < rays.n; r++) {
    for (let s = 0; s < ns; s++) {
      const k = r * ns + s;
      const t = z[k]!;
      for (let c = 0; c < 3; c++) pts[k * 3 + c] = rays.origins[r * 3 + c]! + t * rays.dirs[r * 3 + c]!;
    }
  }
  return pts;
}
