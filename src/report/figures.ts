/**
 * The report's figures: the PNGs a table writes (Fig. 2's t-SNE, Fig. A.1's renders, Table A.1's
 * alignment) read back with their size, and curves drawn from the runs' per-epoch history
 * (Table 5's validation perplexity) with src/viz's line chart.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CurveSpec } from '../suites/types';
import { lineChart, type Series } from '../viz/line_chart';
import type { RunRecord } from './produce';

export interface Figure {
  /** a file name for the Markdown twin's copy */
  name: string;
  caption: string;
  kind: 'png' | 'svg';
  /** PNG bytes or SVG text */
  data: Buffer | string;
  width: number;
  height: number;
}

/** A PNG's pixel size, from its IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const sig = '89504e470d0a1a0a';
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== sig || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function pngFigure(path: string, caption: string, prefix: string): Figure {
  const data = readFileSync(path);
  return { name: `${prefix}-${basename(path)}`, caption, kind: 'png', data, ...pngSize(data) };
}

/** A data: URI of the figure (the page embeds every image: it loads offline). */
export function dataUri(f: Figure): string {
  return f.kind === 'png' ? `data:image/png;base64,${(f.data as Buffer).toString('base64')}` : `data:image/svg+xml;base64,${Buffer.from(f.data as string).toString('base64')}`;
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

/**
 * One curve per value of the spec's series param: at each x, the mean over the seeds that have
 * it. Runs that failed or have no history are left out; small multiples when the spec groups
 * series into panels, on one y range so the panels compare.
 */
export function curveFigures(spec: CurveSpec, runs: readonly RunRecord[], prefix: string, caption: string): Figure[] {
  const bySeries = new Map<string, Map<number, number[]>>();
  for (const r of runs) {
    if (!r.outcome.ok) continue;
    const hist = (r.outcome.result as Record<string, unknown> | null)?.[spec.history];
    if (!Array.isArray(hist) || !hist.length) continue;
    const key = String(r.params[spec.series]);
    const m = bySeries.get(key) ?? new Map<number, number[]>();
    for (const h of hist as Record<string, unknown>[]) {
      const x = num(h[spec.x]), y = num(h[spec.y]);
      if (Number.isFinite(x) && Number.isFinite(y)) m.set(x, [...(m.get(x) ?? []), y]);
    }
    bySeries.set(key, m);
  }
  if (!bySeries.size) return [];
  const series = [...bySeries].map(([label, m]): Series => ({
    label, points: [...m].sort((a, b) => a[0] - b[0]).map(([x, ys]) => [x, ys.reduce((a, b) => a + b, 0) / ys.length]),
  }));
  const ys = series.flatMap((s) => s.points.map((p) => p[1])).filter((y) => (spec.logY ? y > 0 : true));
  const [yMin, yMax] = [Math.min(...ys), Math.max(...ys)];
  const panels = new Map<string, Series[]>();
  for (const s of series) {
    const p = spec.panel?.(s.label) ?? '';
    panels.set(p, [...(panels.get(p) ?? []), s]);
  }
  return [...panels].map(([panel, ss], i) => {
    const title = panel ? `${spec.title}: ${panel}` : spec.title;
    const svg = lineChart({ title, xLabel: spec.xLabel, yLabel: spec.yLabel, series: ss, width: 420, height: 280, logY: spec.logY, yMin, yMax });
    return { name: `${prefix}-curves${panels.size > 1 ? `-${i + 1}` : ''}.svg`, caption: panel ? `${caption} (${panel})` : caption, kind: 'svg', data: svg, width: 420, height: 280 };
  });
}
