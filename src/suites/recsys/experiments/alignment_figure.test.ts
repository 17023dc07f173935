import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { alignmentPng, alignmentSvg } from './alignment_figure';

test('alignment figure: one bar per point, up for positive and down for negative cosines', () => {
  const panels = [
    { title: 'A', stats: [{ name: 'p1', mean: 0.8, std: 0.1, n: 5 }, { name: 'p2', mean: -0.5, std: 0.2, n: 5 }] },
    { title: 'B', stats: [{ name: 'lnn', mean: 0.3, std: 0.05, n: 5 }] },
  ];
  const png = PNG.sync.read(alignmentPng(panels));
  assert.equal(png.width, 2 * 420);
  assert.equal(png.height, 300);
  // plot area: y = 28 + (1 - v)/2 · 202; first panel slots are 182 px wide from x = 44
  const px = (x: number, y: number) => { const o = (y * png.width + Math.round(x)) * 4; return Array.from(png.data.subarray(o, o + 3)); };
  const blue = [0x1f, 0x77, 0xb4];
  const yOf = (v: number) => Math.round(28 + ((1 - v) / 2) * 202);
  assert.deepEqual(px(44 + 182 * 0.2 + 10, yOf(0.4)), blue, 'p1 bar covers 0.4');
  assert.deepEqual(px(44 + 182 * 0.2 + 10, yOf(0.9)), [255, 255, 255], 'p1 bar stops at 0.8');
  assert.deepEqual(px(44 + 182 * 1.2 + 10, yOf(-0.3)), blue, 'p2 bar goes down to -0.5');
  assert.deepEqual(px(44 + 182 * 1.2 + 10, yOf(0.3)), [255, 255, 255], 'nothing above zero for p2');
  assert.deepEqual(px(420 + 44 + 364 * 0.2 + 10, yOf(0.2)), [0xd6, 0x27, 0x28], 'second panel in its own colour');
  const svg = alignmentSvg(panels);
  assert.match(svg, /lnn 0\.30/);
  assert.match(svg, /p2 -0\.50/);
});
