/**
 * Table A.1 as a figure: for each DFA-trained model, one bar per feedback point (in forward
 * order) with the mean per-sample cosine between the DFA signal and the BP gradient, and a
 * whisker of ± its std. The y axis spans [-1, 1] with a line at 0. SVG carries the titles and
 * labels; the PNG (pngjs, no font) has the same bars, panels in the same order.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';
import type { AlignmentStat } from '../../../feedback';

export interface AlignmentPanel {
  title: string;
  stats: AlignmentStat[];
}

const W = 420, H = 300, PAD = { l: 44, r: 12, t: 28, b: 70 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

function geometry(p: AlignmentPanel) {
  const n = Math.max(1, p.stats.length);
  const pw = W - PAD.l - PAD.r, ph = H - PAD.t - PAD.b;
  const slot = pw / n;
  const y = (v: number) => PAD.t + ((1 - Math.max(-1, Math.min(1, v))) / 2) * ph;
  return { slot, bw: Math.max(2, slot * 0.6), x: (i: number) => PAD.l + slot * i + slot * 0.2, y };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function alignmentSvg(panels: AlignmentPanel[]): string {
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W * panels.length}" height="${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`];
  panels.forEach((p, k) => {
    const g = geometry(p);
    out.push(`<g transform="translate(${W * k},0)">`, `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13">${esc(p.title)}</text>`);
    for (const t of [-1, -0.5, 0, 0.5, 1]) {
      out.push(`<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${g.y(t)}" y2="${g.y(t)}" stroke="${t === 0 ? '#444' : '#ddd'}"/>`,
        `<text x="${PAD.l - 4}" y="${g.y(t) + 4}" text-anchor="end">${t}</text>`);
    }
    p.stats.forEach((s, i) => {
      const x = g.x(i), top = g.y(Math.max(0, s.mean)), bot = g.y(Math.min(0, s.mean));
      out.push(`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${g.bw.toFixed(1)}" height="${Math.max(1, bot - top).toFixed(1)}" fill="${COLORS[k % COLORS.length]}"><title>${esc(s.name)}: ${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}</title></rect>`);
      const cx = x + g.bw / 2;
      out.push(`<line x1="${cx}" x2="${cx}" y1="${g.y(s.mean + s.std)}" y2="${g.y(s.mean - s.std)}" stroke="#222"/>`);
      out.push(`<text transform="translate(${cx + 3},${H - PAD.b + 6}) rotate(60)" font-size="10">${esc(s.name)} ${s.mean.toFixed(2)}</text>`);
    });
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}

function hex(c: string): [number, number, number] {
  return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
}

export function alignmentPng(panels: AlignmentPanel[]): Buffer {
  const width = W * panels.length;
  const png = new PNG({ width, height: H });
  png.data.fill(255);
  const rect = (x0: number, y0: number, x1: number, y1: number, [r, g, b]: [number, number, number]) => {
    for (let y = Math.max(0, Math.round(y0)); y <= Math.min(H - 1, Math.round(y1)); y++) {
      for (let x = Math.max(0, Math.round(x0)); x <= Math.min(width - 1, Math.round(x1)); x++) {
        const o = (y * width + x) * 4;
        png.data[o] = r; png.data[o + 1] = g; png.data[o + 2] = b; png.data[o + 3] = 255;
      }
    }
  };
  panels.forEach((p, k) => {
    const g = geometry(p), ox = W * k;
    for (const t of [-1, -0.5, 0.5, 1]) rect(ox + PAD.l, g.y(t), ox + W - PAD.r, g.y(t), [221, 221, 221]);
    p.stats.forEach((s, i) => {
      const x = ox + g.x(i);
      rect(x, g.y(Math.max(0, s.mean)), x + g.bw, g.y(Math.min(0, s.mean)), hex(COLORS[k % COLORS.length]!));
      const cx = x + g.bw / 2;
      rect(cx, g.y(s.mean + s.std), cx, g.y(s.mean - s.std), [34, 34, 34]);
      rect(cx - 3, g.y(s.mean + s.std), cx + 3, g.y(s.mean + s.std), [34, 34, 34]);
      rect(cx - 3, g.y(s.mean - s.std), cx + 3, g.y(s.mean - s.std), [34, 34, 34]);
    });
    rect(ox + PAD.l, g.y(0), ox + W - PAD.r, g.y(0), [68, 68, 68]);
    rect(ox + PAD.l, PAD.t, ox + PAD.l, H - PAD.b, [68, 68, 68]);
    if (k > 0) rect(ox, 0, ox, H - 1, [200, 200, 200]);
  });
  return PNG.sync.write(png);
}

/** Writes `<pathNoExt>.png` and `.svg`; returns their paths. */
export function writeAlignmentFigure(pathNoExt: string, panels: AlignmentPanel[]): string[] {
  mkdirSync(dirname(pathNoExt), { recursive: true });
  writeFileSync(`${pathNoExt}.png`, alignmentPng(panels));
  writeFileSync(`${pathNoExt}.svg`, alignmentSvg(panels));
  return [`${pathNoExt}.png`, `${pathNoExt}.svg`];
}
