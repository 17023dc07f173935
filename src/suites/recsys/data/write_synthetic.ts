/** Writes `rows` synthetic Criteo rows as a TSV file, streaming (constant memory at any size). */
import { closeSync, openSync, writeSync } from 'node:fs';
import { SyntheticCriteo, type SyntheticOptions } from './synthetic';

export function writeSyntheticTsv(path: string, rows: number, opts: SyntheticOptions = {}, onProgress?: (done: number) => void): void {
  const gen = new SyntheticCriteo(opts);
  const fd = openSync(path, 'w');
  try {
    const STEP = 8192;
    for (let s = 0; s < rows; s += STEP) {
      const parts: string[] = [];
      for (const r of gen.rows(s, Math.min(STEP, rows - s))) parts.push(r.line);
      writeSync(fd, parts.join('\n') + '\n');
      onProgress?.(Math.min(rows, s + STEP));
    }
  } finally {
    closeSync(fd);
  }
}
