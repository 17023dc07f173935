/** A small self-contained SVG line chart (string output, no dependencies; works in Node and browsers). */

export interface Series {
  label: string;
  points: Array<[number, number]>;
  /** optional shaded band (x, low, high), e.g. mean ± std */
  band?: Array<[number, number, number]>;
  color?: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  series: Series[];
  width?: number;
  height?: number;
  yMin?: number;
  yMax?: number;
  /** a log-scaled y axis (values ≤ 0 are left out), ticks at 1, 2, 5 × 10^k */
  logY?: boolean;
}

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** About 5 round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Ticks of a log axis over [lo, hi] (both > 0): 1, 2, 5 × 10^k, or every integer multiple when the range is under a decade. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (const steps of [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    out.length = 0;
    for (let k = Math.floor(Math.log10(lo)); k <= Math.ceil(Math.log10(hi)); k++) {
      for (const m of steps) {
        const v = Number((m * 10 ** k).toPrecision(12));
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      }
    }
    if (out.length >= 3) break;
  }
  return out;
}

const fmt = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(4))));

export function lineChart(o: ChartOptions): string {
  const W = o.width ?? 480, H = o.height ?? 280;
  const m = { l: 56, r: 12, t: 28, b: 40 };
  const finite = (v: number) => Number.isFinite(v);
  // on a log axis every y is placed by its log10 (ticks keep their values)
  const ty = o.logY ? (v: number) => (v > 0 ? Math.log10(v) : NaN) : (v: number) => v;
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0])).filter(finite);
  const ys = o.series.flatMap((s) => [...s.points.map((p) => p[1]), ...(s.band ?? []).flatMap((b) => [b[1], b[2]])]).map(ty).filter(finite);
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">` +
    `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(o.title)}</text>`;
  if (!xs.length || !ys.length) return `${head}<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#888">no data</text></svg>`;
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [o.yMin !== undefined ? ty(o.yMin) : Math.min(...ys), o.yMax !== undefined ? ty(o.yMax) : Math.max(...ys)];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const pad = (y1 - y0) * 0.05;
  if (o.yMin === undefined) y0 -= pad;
  if (o.yMax === undefined) y1 += pad;
  const px = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const py = (v: number) => {
    const y = ty(v);
    return H - m.b - ((Math.min(Math.max(y, y0), y1) - y0) / (y1 - y0)) * (H - m.t - m.b);
  };
  const parts: string[] = [head];
  for (const t of o.logY ? logTicks(10 ** y0, 10 ** y1) : niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${py(t)}" y2="${py(t)}" stroke="#eee"/><text x="${m.l - 4}" y="${py(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${H - m.b}" y2="${H - m.b + 4}" stroke="#333"/><text x="${px(t)}" y="${H - m.b + 15}" text-anchor="middle">${fmt(t)}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  if (o.xLabel) parts.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 6}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  if (o.yLabel) parts.push(`<text transform="translate(12 ${(m.t + H - m.b) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(o.yLabel)}</text>`);
  const legendW = 112;
  o.series.forEach((s, i) => {
    const c = s.color ?? PALETTE[i % PALETTE.length]!;
    const band = (s.band ?? []).filter((b) => finite(b[0]) && finite(ty(b[1])) && finite(ty(b[2])));
    if (band.length > 1) {
      const pts = [...band.map((b) => `${px(b[0])},${py(b[2])}`), ...band.slice().reverse().map((b) => `${px(b[0])},${py(b[1])}`)];
      parts.push(`<polygon points="${pts.join(' ')}" fill="${c}" fill-opacity="0.15" stroke="none"/>`);
    }
    const pts = s.points.filter((p) => finite(p[0]) && finite(ty(p[1])));
    if (pts.length) {
      parts.push(`<polyline points="${pts.map((p) => `${px(p[0])},${py(p[1])}`).join(' ')}" fill="none" stroke="${c}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
      if (pts.length === 1) parts.push(`<circle cx="${px(pts[0]![0])}" cy="${py(pts[0]![1])}" r="3" fill="${c}"/>`);
    }
  });
  parts.push(`<rect x="${W - m.r - legendW - 2}" y="${m.t + 2}" width="${legendW}" height="${14 * o.series.length + 4}" fill="#fff" fill-opacity="0.85"/>`);
  o.series.forEach((s, i) => {
    const c = s.color ?? PALETTE[i % PALETTE.length]!;
    const ly = m.t + 14 + 14 * i;
    parts.push(`<line x1="${W - m.r - 108}" x2="${W - m.r - 90}" y1="${ly - 4}" y2="${ly - 4}" stroke="${c}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/><text x="${W - m.r - 86}" y="${ly}">${escapeXml(s.label)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
