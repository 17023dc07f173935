import { test } from 'node:test';
import assert from 'node:assert/strict';
import { meanStd, formatTable, formatMarkdown, type ResultRow } from './results';

test('meanStd uses the sample standard deviation', () => {
  const { mean, std } = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(mean, 5);
  assert.ok(Math.abs(std - Math.sqrt(32 / 7)) < 1e-12);
  assert.deepEqual(meanStd([3]), { mean: 3, std: 0 });
});

test('tables show ours beside the paper with the difference', () => {
  const rows: ResultRow[] = [{ table: 'table3', dataset: 'cora', model: 'GCN', method: 'dfa', metric: 'acc', mean: 78.2, std: 1, seeds: 5, paper: 79.9 }];
  const t = formatTable(rows, 1);
  assert.match(t, /78\.2 ± 1\.0/);
  assert.match(t, /79\.9/);
  assert.match(t, /-1\.7/);
  assert.match(formatMarkdown(rows, 1), /\| table3 \| cora \| GCN \| dfa \|/);
});
