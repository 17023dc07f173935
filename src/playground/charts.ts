/** Canvas drawing for the playground and `dfa report`: line charts, decision boundaries, scatters. No DOM beyond a canvas. */

export const CLASS_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
export const LAYER_COLORS = ['#6a3d9a', '#e31a1c', '#33a02c', '#1f78b4', '#ff7f00', '#b15928'];
export const METHOD_COLORS: Record<string, string> = {
  bp: '#222222', dfa: '#d62728', fa: '#1f77b4', shallow: '#999999', usf: '#2ca02c', brsf: '#9467bd', frsf: '#8c564b', drtp: '#ff7f0e',
};

export interface Series {
  label: string;
  color: string;
  points: [number, number][];
  dash?: boolean;
}

export interface ChartOptions {
  title: string;
  yMin?: number;
  yMax?: number;
  /** draw a horizontal line at y = 0 */
  zeroLine?: boolean;
  xLabel?: string;
  /** log-scale y (values must be > 0) */
  logY?: boolean;
}

/** Sizes the canvas backing store for the device pixel ratio; returns a context in CSS pixels. */
export function context(canvas: HTMLCanvasElement): { g: CanvasRenderingContext2D; w: number; h: number } {
  const dpr = (globalThis as { devicePixelRatio?: number }).devicePixelRatio ?? 1;
  const w = canvas.clientWidth || canvas.width;
  const h = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  const g = canvas.getContext('2d')!;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { g, w, h };
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e6) return String(v);
  if (a >= 1000 || a < 0.01) return v.toExponential(0);
  return a >= 10 ? v.toFixed(0) : a >= 1 ? v.toFixed(1) : v.toFixed(2);
}

export function lineChart(canvas: HTMLCanvasElement, series: Series[], o: ChartOptions): void {
  const { g, w, h } = context(canvas);
  g.clearRect(0, 0, w, h);
  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#333';
  g.textBaseline = 'top';
  g.textAlign = 'left';
  g.fillText(o.title, 4, 2);
  const L = 34, R = 6, T = 16, B = 16;
  const pw = w - L - R, ph = h - T - B;
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y) && (!o.logY || y > 0));
  let x1 = 1;
  for (const [x] of all) x1 = Math.max(x1, x);
  const tr = (y: number) => (o.logY ? Math.log10(y) : y);
  let y0 = o.yMin ?? Infinity, y1 = o.yMax ?? -Infinity;
  if (o.yMin === undefined) for (const [, y] of all) y0 = Math.min(y0, tr(y));
  else y0 = tr(y0);
  if (o.yMax === undefined) for (const [, y] of all) y1 = Math.max(y1, tr(y));
  else y1 = tr(y1);
  if (!Number.isFinite(y0) || !Number.isFinite(y1)) [y0, y1] = [0, 1];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  const X = (x: number) => L + (x / x1) * pw;
  const Y = (y: number) => T + (1 - (tr(y) - y0) / (y1 - y0)) * ph;
  g.strokeStyle = '#ccc';
  g.lineWidth = 1;
  g.strokeRect(L + 0.5, T + 0.5, pw, ph);
  g.fillStyle = '#666';
  g.textAlign = 'right';
  g.textBaseline = 'middle';
  const lab = (v: number) => fmt(o.logY ? 10 ** v : v);
  g.fillText(lab(y1), L - 3, T + 4);
  g.fillText(lab(y0), L - 3, T + ph - 3);
  g.textAlign = 'right';
  g.textBaseline = 'top';
  g.fillText(`${fmt(x1)}${o.xLabel ? ' ' + o.xLabel : ''}`, L + pw, T + ph + 2);
  g.textAlign = 'left';
  g.fillText('0', L, T + ph + 2);
  if (o.zeroLine && y0 < 0 && y1 > 0) {
    g.strokeStyle = '#999';
    g.setLineDash([2, 2]);
    g.beginPath();
    g.moveTo(L, Y(0));
    g.lineTo(L + pw, Y(0));
    g.stroke();
    g.setLineDash([]);
  }
  g.save();
  g.beginPath();
  g.rect(L, T, pw, ph);
  g.clip();
  for (const s of series) {
    g.strokeStyle = s.color;
    g.lineWidth = 1.5;
    g.setLineDash(s.dash ? [4, 3] : []);
    g.beginPath();
    let started = false;
    for (const [x, y] of s.points) {
      if (!Number.isFinite(y) || (o.logY && y <= 0)) continue;
      if (started) g.lineTo(X(x), Y(y));
      else g.moveTo(X(x), Y(y));
      started = true;
    }
    if (s.points.length === 1) g.arc(X(s.points[0]![0]), Y(s.points[0]![1]), 1.5, 0, 2 * Math.PI);
    g.stroke();
  }
  g.restore();
  g.setLineDash([]);
  // legend, top right
  g.textAlign = 'right';
  g.textBaseline = 'top';
  let lx = w - R - 2;
  for (const s of [...series].reverse()) {
    const tw = g.measureText(s.label).width;
    g.fillStyle = s.color;
    g.fillText(s.label, lx, 2);
    lx -= tw + 8;
  }
}

function hexRgb(c: string): [number, number, number] {
  const n = parseInt(c.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Diverging blue–white–orange colour for a value in about [-2, 2] (regression targets). */
export function valueColor(v: number): [number, number, number] {
  const t = Math.max(-1, Math.min(1, v / 2));
  const a = t < 0 ? hexRgb('#1f77b4') : hexRgb('#ff7f0e');
  const k = Math.abs(t);
  return [255 + (a[0] - 255) * k, 255 + (a[1] - 255) * k, 255 + (a[2] - 255) * k];
}

export interface PointSet {
  /** [n, 2] */
  xy: ArrayLike<number>;
  labels: ArrayLike<number>;
  targets: ArrayLike<number>;
  classes: number;
  n: number;
}

/** Decision boundary: class probabilities mixed into pale class colours (or predicted value), data on top. */
export function boundaryImage(
  canvas: HTMLCanvasElement, b: { res: number; extent: [number, number, number, number]; values: Float32Array } | undefined,
  pts: PointSet, title: string,
): void {
  const { g, w, h } = context(canvas);
  g.clearRect(0, 0, w, h);
  const [x0, x1, y0, y1] = pts.n ? extentOf(b) : [-1, 1, -1, 1];
  if (b) {
    const { res, values } = b;
    const img = new ImageData(res, res);
    const cols = CLASS_COLORS.map(hexRgb);
    for (let i = 0; i < res * res; i++) {
      let rgb: [number, number, number];
      if (pts.classes) {
        rgb = [0, 0, 0];
        for (let c = 0; c < pts.classes; c++) {
          const p = values[i * pts.classes + c]!;
          for (let k = 0; k < 3; k++) rgb[k] += p * cols[c]![k]!;
        }
        rgb = rgb.map((v) => 255 - 0.45 * (255 - v)) as [number, number, number];
      } else {
        rgb = valueColor(values[i]!);
      }
      img.data.set([rgb[0], rgb[1], rgb[2], 255], 4 * i);
    }
    const off = new OffscreenCanvas(res, res);
    off.getContext('2d')!.putImageData(img, 0, 0);
    g.imageSmoothingEnabled = true;
    g.drawImage(off, 0, 0, w, h);
  }
  for (let i = 0; i < pts.n; i++) {
    const px = ((pts.xy[2 * i]! - x0) / (x1 - x0)) * w;
    const py = (1 - (pts.xy[2 * i + 1]! - y0) / (y1 - y0)) * h;
    dot(g, px, py, pointColor(pts, i));
  }
  frameWithTitle(g, w, h, title);
}

/** The panel's title (top left) and a light border. */
function frameWithTitle(g: CanvasRenderingContext2D, w: number, h: number, title: string): void {
  g.fillStyle = '#333';
  g.font = '11px system-ui, sans-serif';
  g.textBaseline = 'top';
  g.textAlign = 'left';
  g.fillText(title, 4, 2);
  g.strokeStyle = '#ccc';
  g.strokeRect(0.5, 0.5, w - 1, h - 1);
}

function extentOf(b: { extent: [number, number, number, number] } | undefined): [number, number, number, number] {
  return b?.extent ?? [-2.2, 2.2, -2.2, 2.2];
}

function pointColor(pts: PointSet, i: number): string {
  if (pts.classes) return CLASS_COLORS[pts.labels[i]! % CLASS_COLORS.length]!;
  const [r, g, b] = valueColor(pts.targets[i]!);
  return `rgb(${r | 0},${g | 0},${b | 0})`;
}

function dot(g: CanvasRenderingContext2D, x: number, y: number, color: string): void {
  g.fillStyle = color;
  g.strokeStyle = 'rgba(0,0,0,0.55)';
  g.lineWidth = 0.6;
  g.beginPath();
  g.arc(x, y, 2.2, 0, 2 * Math.PI);
  g.fill();
  g.stroke();
}

/** Scatter of 2-D coordinates in [-1, 1]² coloured like the data points. */
export function scatter(canvas: HTMLCanvasElement, coords: Float32Array | undefined, pts: PointSet, title: string): void {
  const { g, w, h } = context(canvas);
  g.clearRect(0, 0, w, h);
  g.fillStyle = '#fafafa';
  g.fillRect(0, 0, w, h);
  if (coords) {
    const m = coords.length / 2;
    for (let i = 0; i < m; i++) {
      dot(g, (0.08 + 0.84 * (coords[2 * i]! + 1) / 2) * w, (0.08 + 0.84 * (1 - (coords[2 * i + 1]! + 1) / 2)) * h, pointColor(pts, i));
    }
  }
  frameWithTitle(g, w, h, title);
}
