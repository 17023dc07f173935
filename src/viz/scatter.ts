/** Class-coloured 2-D scatter plots side by side, as PNG (pngjs) and SVG. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';
import { drawText, GLYPH_H, textWidth } from './pixel_font';

export interface ScatterPanel {
  title: string;
  points: Float64Array | Float32Array; // [n, 2]
  labels: Int32Array;
}

/** Height of the title band above the panels (PNG and SVG alike). */
const TITLE_BAND = 24;

/** Tableau-10, the default categorical palette of matplotlib. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function rgb(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

function layout(p: ScatterPanel, size: number, pad: number): (i: number) => [number, number] {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  const n = p.labels.length;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, p.points[2 * i]!);
    x1 = Math.max(x1, p.points[2 * i]!);
    y0 = Math.min(y0, p.points[2 * i + 1]!);
    y1 = Math.max(y1, p.points[2 * i + 1]!);
  }
  const s = (size - 2 * pad) / Math.max(x1 - x0, y1 - y0, 1e-12);
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  return (i) => [size / 2 + (p.points[2 * i]! - cx) * s, size / 2 - (p.points[2 * i + 1]! - cy) * s];
}

export function scatterSvg(panels: ScatterPanel[], size = 400): string {
  const pad = 16, title = TITLE_BAND;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${size * panels.length}" height="${size + title}" viewBox="0 0 ${size * panels.length} ${size + title}">`, '<rect width="100%" height="100%" fill="white"/>'];
  panels.forEach((p, k) => {
    const at = layout(p, size, pad);
    parts.push(`<text x="${k * size + size / 2}" y="18" font-family="sans-serif" font-size="16" text-anchor="middle">${p.title}</text>`);
    parts.push(`<g transform="translate(${k * size},${title})">`);
    for (let i = 0; i < p.labels.length; i++) {
      const [x, y] = at(i);
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="2" fill="${PALETTE[p.labels[i]! % PALETTE.length]}"/>`);
    }
    parts.push('</g>');
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** PNG: panels side by side under their titles (pixel font, capitals), dots of radius 2. */
export function scatterPng(panels: ScatterPanel[], size = 400): Buffer {
  const W = size * panels.length, H = size + TITLE_BAND;
  const png = new PNG({ width: W, height: H });
  png.data.fill(255);
  panels.forEach((p, k) => {
    const scale = 2;
    const tw = textWidth(p.title, scale);
    drawText(png.data, W, H, p.title, k * size + Math.max(2, Math.floor((size - tw) / 2)), Math.floor((TITLE_BAND - GLYPH_H * scale) / 2), { scale, clipX0: k * size, clipX1: (k + 1) * size });
    const at = layout(p, size, 16);
    for (let i = 0; i < p.labels.length; i++) {
      const [cx, cy] = at(i);
      const [r, g, b] = rgb(PALETTE[p.labels[i]! % PALETTE.length]!);
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
        if (dx * dx + dy * dy > 4.5) continue;
        const x = Math.round(cx) + dx + k * size, y = Math.round(cy) + dy + TITLE_BAND;
        if (x < k * size || x >= (k + 1) * size || y < TITLE_BAND || y >= H) continue;
        const o = (y * W + x) * 4;
        png.data[o] = r;
        png.data[o + 1] = g;
        png.data[o + 2] = b;
        png.data[o + 3] = 255;
      }
    }
    // a thin separator between panels
    if (k > 0) for (let y = 0; y < H; y++) png.data.fill(200, (y * W + k * size) * 4, (y * W + k * size) * 4 + 3);
  });
  return PNG.sync.write(png);
}

export function writeScatter(pathNoExt: string, panels: ScatterPanel[]): string[] {
  mkdirSync(dirname(pathNoExt), { recursive: true });
  writeFileSync(`${pathNoExt}.png`, scatterPng(panels));
  writeFileSync(`${pathNoExt}.svg`, scatterSvg(panels));
  return [`${pathNoExt}.png`, `${pathNoExt}.svg`];
}

/** Mean silhouette-like separation score: how much closer points are to their own class's centroid. */
export function centroidSeparation(points: Float64Array | Float32Array, labels: Int32Array): number {
  const n = labels.length;
  const C = Math.max(...labels) + 1;
  const cx = new Float64Array(C), cy = new Float64Array(C), cnt = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    cx[labels[i]!]! += points[2 * i]!;
    cy[labels[i]!]! += points[2 * i + 1]!;
    cnt[labels[i]!]!++;
  }
  for (let c = 0; c < C; c++) if (cnt[c]) (cx[c]! /= cnt[c]!), (cy[c]! /= cnt[c]!);
  let ok = 0;
  for (let i = 0; i < n; i++) {
    let best = -1, bd = Infinity;
    for (let c = 0; c < C; c++) {
      if (!cnt[c]) continue;
      const d = (points[2 * i]! - cx[c]!) ** 2 + (points[2 * i + 1]! - cy[c]!) ** 2;
      if (d < bd) (bd = d), (best = c);
    }
    if (best === labels[i]) ok++;
  }
  return ok / n;
}
