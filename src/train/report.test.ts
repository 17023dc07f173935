import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineChart, niceTicks } from '../viz/line_chart';
import { renderReport } from './report';
import type { EpochRecord, TrainResult } from './trainer';

test('line chart: round ticks, escaped labels, one polyline per series, a no-data placeholder', () => {
  assert.deepEqual(niceTicks(0, 1), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(-3, 47), [0, 10, 20, 30, 40]);
  const svg = lineChart({ title: 'a <b> & c', series: [{ label: 'x', points: [[1, 1], [2, 3]] }, { label: 'y', points: [[1, 2], [2, NaN]] }] });
  assert.match(svg, /^<svg[^>]*>.*<\/svg>$/s);
  assert.ok(svg.includes('a &lt;b&gt; &amp; c'));
  assert.equal(svg.match(/<polyline/g)!.length, 2);
  assert.match(lineChart({ title: 't', series: [] }), /no data/);
});

test('report: self-contained HTML with a results row per run and an alignment chart per method that has one', () => {
  const ep = (epoch: number, align: boolean): EpochRecord => ({
    epoch, step: epoch * 10, lr: 0.01, trainLoss: 1 / epoch, val: { loss: 1, metric: 50 + epoch }, test: { loss: 1, metric: 40 + epoch }, msPerStep: 2, evalMs: 0, seconds: 1,
    ...(align ? { alignment: [{ name: 'h1', mean: 0.1 * epoch, std: 0.05, n: 10 }], angles: [{ name: 'h1', degrees: 80 }] } : {}),
  });
  const res = (align: boolean): TrainResult => ({ epochs: [ep(1, align), ep(2, align)], bestEpoch: 2, bestVal: 52, testAtBest: 42, stoppedEarly: false, msPerStep: 2, resumed: false });
  const html = renderReport([{ label: 'bp', result: res(false) }, { label: 'dfa', result: res(true) }], { title: 'T', metricName: 'acc' });
  assert.ok(!/<script|src=|href=/.test(html), 'no external resources or scripts');
  assert.equal(html.match(/<svg/g)!.length, 5); // 4 curves + dfa alignment
  assert.ok(html.includes('<td>dfa</td><td>42.00</td>') && html.includes('h1 0.20 ± 0.05'));
});
