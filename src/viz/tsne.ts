/**
 * Exact t-SNE (van der Maaten & Hinton 2008), O(N²) time and memory, with the optimisation
 * schedule of sklearn's `TSNE(method='exact')`: perplexity-calibrated Gaussian affinities,
 * symmetrised; Student-t similarities in 2-D; early exaggeration 12 for 250 iterations; momentum
 * 0.5 then 0.8; per-coordinate gains (min 0.01); learning rate max(N / 12 / 4, 50) ('auto').
 * Plain TypeScript over Float64Arrays, seeded by our Rng. Fine up to a few thousand points
 * (Cora's 2708: about 7.3 M pairs).
 */
import { Rng } from '../engine/rng';

export interface TsneOptions {
  perplexity?: number;
  iterations?: number;
  earlyExaggeration?: number;
  exaggerationIterations?: number;
  learningRate?: number;
  seed?: number;
  dims?: number;
  onIteration?: (iter: number, kl: number | null) => void;
}

/** Conditional Gaussian affinities with the given perplexity, symmetrised: P = (P + Pᵀ) / 2N. */
export function affinities(X: Float32Array | Float64Array, n: number, d: number, perplexity: number): Float64Array {
  if (n < 2) throw new Error('t-SNE needs at least 2 points');
  if (perplexity >= n) throw new Error(`t-SNE: perplexity ${perplexity} must be below the number of points ${n}`);
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = X[i * d + k]! - X[j * d + k]!;
        s += t * t;
      }
      D[i * n + j] = s;
      D[j * n + i] = s;
    }
  }
  const P = new Float64Array(n * n);
  const logU = Math.log(perplexity);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let beta = 1, lo = -Infinity, hi = Infinity;
    for (let it = 0; it < 100; it++) {
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const v = j === i ? 0 : Math.exp(-D[i * n + j]! * beta);
        row[j] = v;
        sum += v;
      }
      if (sum === 0) sum = 1e-12;
      let H = 0;
      for (let j = 0; j < n; j++) {
        row[j] = row[j]! / sum;
        if (row[j]! > 1e-300) H -= row[j]! * Math.log(row[j]!);
      }
      const diff = H - logU;
      if (Math.abs(diff) < 1e-5) break;
      if (diff > 0) {
        lo = beta;
        beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
      }
    }
    for (let j = 0; j < n; j++) P[i * n + j] = row[j]!;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = Math.max((P[i * n + j]! + P[j * n + i]!) / (2 * n), 1e-12);
      P[i * n + j] = v;
      P[j * n + i] = v;
    }
    P[i * n + i] = 0;
  }
  return P;
}

/** Embed n points of dimension d (row-major X) into `dims` (default 2) dimensions. */
export function tsne(X: Float32Array | Float64Array, n: number, d: number, opts: TsneOptions = {}): Float64Array {
  const perplexity = opts.perplexity ?? Math.min(30, (n - 1) / 3);
  const iters = opts.iterations ?? 1000;
  const exIters = opts.exaggerationIterations ?? 250;
  const ex = opts.earlyExaggeration ?? 12;
  const lr = opts.learningRate ?? Math.max(n / ex / 4, 50);
  const dims = opts.dims ?? 2;
  const P = affinities(X, n, d, perplexity);
  const rng = new Rng(opts.seed ?? 0).fork('tsne');
  const Y = new Float64Array(n * dims);
  for (let i = 0; i < Y.length; i++) Y[i] = 1e-4 * rng.normal();
  const upd = new Float64Array(n * dims), gains = new Float64Array(n * dims).fill(1);
  // One pass over the pairs: with q = 1/(1+|yi−yj|²) and Z = Σ q, the gradient is
  // 4 Σ_j (exag·p − q/Z) q (yi − yj) = 4 (Σ_j exag·p·q·(yi−yj) − (1/Z) Σ_j q²·(yi−yj)).
  const attr = new Float64Array(n * dims), rep = new Float64Array(n * dims);
  for (let it = 0; it < iters; it++) {
    const exag = it < exIters ? ex : 1;
    const momentum = it < exIters ? 0.5 : 0.8;
    attr.fill(0);
    rep.fill(0);
    let sumQ = 0, plogq = 0;
    const wantKl = opts.onIteration && (it + 1) % 50 === 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        let s2 = 0;
        for (let k = 0; k < dims; k++) {
          const t = Y[i * dims + k]! - Y[j * dims + k]!;
          s2 += t * t;
        }
        const q = 1 / (1 + s2);
        sumQ += 2 * q;
        const p = P[i * n + j]!;
        const a = exag * p * q, r = q * q;
        for (let k = 0; k < dims; k++) {
          const t = Y[i * dims + k]! - Y[j * dims + k]!;
          attr[i * dims + k] += a * t;
          attr[j * dims + k] -= a * t;
          rep[i * dims + k] += r * t;
          rep[j * dims + k] -= r * t;
        }
        if (wantKl) plogq += 2 * p * Math.log(p / q);
      }
    }
    for (let i = 0; i < Y.length; i++) {
      const g = 4 * (attr[i]! - rep[i]! / sumQ);
      gains[i] = Math.sign(g) !== Math.sign(upd[i]!) ? gains[i]! + 0.2 : Math.max(gains[i]! * 0.8, 0.01);
      upd[i] = momentum * upd[i]! - lr * gains[i]! * g;
      Y[i] += upd[i]!;
    }
    // KL(P || Q) = Σ p log(p / (q / Z)) = Σ p log(p / q) + log Z (Σ p = 1)
    opts.onIteration?.(it + 1, wantKl ? plogq + Math.log(sumQ) : null);
  }
  return Y;
}
