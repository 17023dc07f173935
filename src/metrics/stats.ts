/**
 * Mean and standard deviation, the one implementation in the library. `ddof` chooses the std:
 * 1 (default) = the sample std, Σ(x − mean)² / (n − 1), as the paper reports over seeds and as
 * torch.std / numpy's std(ddof=1); 0 = the population std, Σ(x − mean)² / n, used for the spread
 * of many per-sample cosines (alignment, as TinyDFA's np.std). One value: std 0. None: NaN.
 */
export function meanStd(xs: ArrayLike<number>, ddof: 0 | 1 = 1): { mean: number; std: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN };
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i]!;
  const mean = s / n;
  if (n === 1) return { mean, std: 0 };
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / (n - ddof)) };
}

/** The median (the mean of the two middle values for an even count); NaN for none. */
export function median(xs: ArrayLike<number>): number {
  const s = Array.from(xs).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
