/**
 * Issue 18: a Criteo file of mostly malformed lines, or of one label only, trained for its whole
 * budget and ended in a bare `rocAuc: needs both classes`; it must be refused before training,
 * naming the file and the split that cannot be scored.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { withTempDir } from '../../../../test/helpers';
import { buildCache, parseCriteoLine } from './index';
import { checkScorable } from './scorable';

const INTS = Array.from({ length: 13 }, (_, i) => String(i));
const CATS = Array.from({ length: 26 }, (_, i) => (0x68fd1e64 + i).toString(16));
const rows = (labels: (i: number) => number, n: number) => () =>
  Array.from({ length: n }, (_, i) => parseCriteoLine([String(labels(i)), ...INTS, ...CATS].join('\t'), i + 1, 'x.tsv'));

test('checkScorable: a file with one label, or too few rows for a split, names the file and the split', () => withTempDir(async (dir) => {
  const one = await buildCache(join(dir, 'one'), rows(() => 0, 500), { sourceName: '/data/zeros.tsv', minCount: 1 });
  assert.throws(() => checkScorable(one), /^Error: \/data\/zeros\.tsv: 500 valid row\(s\); the validation split has 0 click\(s\) and \d+ non-click\(s\); the test split has 0 click\(s\) and \d+ non-click\(s\): ROC AUC needs both/);
  const few = await buildCache(join(dir, 'few'), rows((i) => i % 2, 3), { sourceName: '/data/few.tsv', minCount: 1, malformed: { count: 100, first: [] } });
  assert.throws(() => checkScorable(few), /\/data\/few\.tsv: 3 valid row\(s\) \(100 malformed line\(s\) skipped\); the (validation|test) split has/);
  const good = await buildCache(join(dir, 'good'), rows((i) => i % 3 === 0 ? 1 : 0, 500), { sourceName: '/data/good.tsv', minCount: 1 });
  checkScorable(good);
}));
