/**
 * 2-D PCA of a point cloud (the playground's hidden-layer embedding): centre, form the d×d
 * covariance, take its two leading eigenvectors by power iteration with deflation. Each axis's
 * sign is fixed (largest-magnitude loading positive) so successive frames do not flip.
 */
export interface Pca2 {
  /** [n, 2] row-major projections */
  coords: Float64Array;
  /** variance along each axis */
  variance: [number, number];
  /** fraction of total variance the two axes explain */
  explained: number;
}

export function pca2(X: ArrayLike<number>, n: number, d: number, iterations = 200): Pca2 {
  if (X.length !== n * d) throw new Error(`pca2: ${X.length} values is not ${n} points × ${d} dims`);
  if (n < 2 || d < 1) throw new Error(`pca2: need at least 2 points and 1 dim, got ${n} × ${d}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += X[i * d + k]! / n;
  const C = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) row[k] = X[i * d + k]! - mean[k]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < d; b++) C[a * d + b] += ra * row[b]!;
    }
  }
  let total = 0;
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      C[a * d + b] /= n - 1;
      C[b * d + a] = C[a * d + b]!;
    }
    total += C[a * d + a]!;
  }
  const axes: Float64Array[] = [];
  const variance: [number, number] = [0, 0];
  for (let c = 0; c < 2; c++) {
    // Deterministic start, not orthogonal to typical leading vectors.
    let v = Float64Array.from({ length: d }, (_, k) => 1 + 0.5 * Math.sin(k + 1 + c));
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const w = new Float64Array(d);
      for (let a = 0; a < d; a++) {
        let s = 0;
        for (let b = 0; b < d; b++) s += C[a * d + b]! * v[b]!;
        w[a] = s;
      }
      for (const u of axes) {
        // deflate: remove components along earlier axes
        let dot = 0;
        for (let k = 0; k < d; k++) dot += w[k]! * u[k]!;
        for (let k = 0; k < d; k++) w[k] -= dot * u[k]!;
      }
      const norm = Math.hypot(...w);
      if (norm < 1e-12) {
        lambda = 0;
        break;
      }
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    let big = 0;
    for (let k = 0; k < d; k++) if (Math.abs(v[k]!) > Math.abs(v[big]!)) big = k;
    if (v[big]! < 0) v = v.map((x) => -x);
    axes.push(v);
    variance[c] = lambda;
  }
  const coords = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 2; c++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (X[i * d + k]! - mean[k]!) * axes[c]![k]!;
      coords[2 * i + c] = s;
    }
  }
  return { coords, variance, explained: total > 0 ? (variance[0] + variance[1]) / total : 0 };
}
