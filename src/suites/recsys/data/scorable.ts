/**
 * A recommender is scored by ROC AUC on the validation and test splits, which needs clicks and
 * non-clicks in each. A file of mostly malformed lines (a few valid rows), or of one label only,
 * used to train for its whole budget and then end in a bare `rocAuc: needs both classes`; this
 * check names the file and the split before any training. It stops at the first row that
 * completes both classes in both splits (the first few hundred rows of any real file).
 */
import type { CriteoData } from './cache';
import { splitOf } from './split';

const CHUNK = 4096;

export function checkScorable(data: CriteoData, splitSeed = 0): void {
  const { numRows, source, malformed } = data.meta;
  const seen = { val: [0, 0], test: [0, 0] };
  const done = () => seen.val[0]! > 0 && seen.val[1]! > 0 && seen.test[0]! > 0 && seen.test[1]! > 0;
  const src = data.open();
  try {
    for (let start = 0; start < numRows && !done(); start += CHUNK) {
      const rows = src.read(start, CHUNK);
      const width = rows.length / Math.min(CHUNK, numRows - start);
      for (let r = 0; r * width < rows.length; r++) {
        const split = splitOf(splitSeed, start + r);
        if (split !== 'train') seen[split][rows[r * width]! === 1 ? 1 : 0]!++;
      }
    }
  } finally {
    src.close();
  }
  if (done()) return;
  const name = (s: 'val' | 'test') => (s === 'val' ? 'validation' : 'test');
  const bad = (['val', 'test'] as const).filter((s) => !(seen[s][0]! > 0 && seen[s][1]! > 0));
  const what = bad.map((s) => `the ${name(s)} split has ${seen[s][1]} click(s) and ${seen[s][0]} non-click(s)`).join('; ');
  const skipped = malformed.count ? ` (${malformed.count.toLocaleString('en-US')} malformed line(s) skipped)` : '';
  throw new Error(`${source}: ${numRows.toLocaleString('en-US')} valid row(s)${skipped}; ${what}: ROC AUC needs both in the validation and test splits (about 10 % of the rows each); use a larger file with both labels`);
}
