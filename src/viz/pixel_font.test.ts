import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { drawText, glyph, GLYPH_H, GLYPH_W, textWidth } from './pixel_font';
import { scatterPng } from './scatter';

test('pixel font: 5×7 glyphs, lower case drawn as capitals, unknown characters as ?', () => {
  for (const ch of ' ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789()%.,:-+/=±?') {
    const g = glyph(ch);
    assert.equal(g.length, GLYPH_H, `'${ch}' rows`);
    for (const row of g) assert.match(row, new RegExp(`^[.#]{${GLYPH_W}}$`), `'${ch}' row '${row}'`);
  }
  assert.deepEqual(glyph('d'), glyph('D'));
  assert.deepEqual(glyph('€'), glyph('?'));
  assert.equal(textWidth('DFA', 2), (3 * 6 - 1) * 2);
});

test('drawText sets exactly the glyph pixels (scaled), clipped to the given columns', () => {
  const W = 20, H = 16;
  const px = new Uint8Array(W * H * 4).fill(255);
  drawText(px, W, H, 'T', 1, 1, { scale: 2 });
  const dark = (x: number, y: number) => px[(y * W + x) * 4] === 0;
  // T: the top row full (10 px wide at scale 2), then the stem at glyph column 2 (pixels 5-6)
  for (let x = 1; x < 11; x++) assert.ok(dark(x, 1) && dark(x, 2), `top bar at x ${x}`);
  assert.ok(!dark(0, 1) && !dark(11, 1));
  for (let y = 3; y < 15; y++) assert.ok(dark(5, y) && dark(6, y) && !dark(4, y) && !dark(7, y), `stem at y ${y}`);
  let count = 0;
  for (let i = 0; i < W * H; i++) if (px[i * 4] === 0) count++;
  assert.equal(count, (5 + 6) * 4, 'T has 11 set cells, 4 pixels each');
  const clipped = new Uint8Array(W * H * 4).fill(255);
  drawText(clipped, W, H, 'T', 1, 1, { scale: 2, clipX1: 4 });
  for (let x = 4; x < W; x++) for (let y = 0; y < H; y++) assert.equal(clipped[(y * W + x) * 4], 255);
});

test('scatter PNG: each panel has its title in a band above the points', () => {
  const pts = Float64Array.from([0, 0, 1, 1, 2, 0]);
  const labels = Int32Array.from([0, 1, 2]);
  const png = PNG.sync.read(scatterPng([{ title: 'DFA', points: pts, labels }, { title: 'BP', points: pts, labels }], 100));
  assert.deepEqual([png.width, png.height], [200, 124]);
  const darkIn = (x0: number, x1: number, y0: number, y1: number) => {
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
      const k = (y * png.width + x) * 4;
      if (png.data[k] === 0 && png.data[k + 1] === 0 && png.data[k + 2] === 0) n++;
    }
    return n;
  };
  // 'DFA': D 18 + F 14 + A 18 set cells; 'BP': B 20 + P 15; 4 pixels each at scale 2
  assert.equal(darkIn(1, 100, 0, 24), (18 + 14 + 18) * 4);
  assert.equal(darkIn(101, 200, 0, 24), (20 + 15) * 4);
  assert.equal(darkIn(0, 200, 24, 124), 0, 'no black below the band (points are coloured)');
});
