/**
 * Streams a Criteo TSV file line by line (bounded memory at any size) as tokenised records.
 * Malformed lines are reported with their line number and either skipped (`malformed: 'skip'`,
 * the default; each is passed to `onMalformed`) or rejected (`'error'`: the first one throws).
 * Blank lines (e.g. a trailing newline) are ignored.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CriteoFormatError, parseCriteoLine, type CriteoRecord } from './format';

export type MalformedPolicy = 'skip' | 'error';

export interface ReadOptions {
  malformed?: MalformedPolicy;
  onMalformed?: (err: CriteoFormatError) => void;
  /** Stop after this many good records. */
  limit?: number;
}

export async function* readCriteoTsv(path: string, opts: ReadOptions = {}): AsyncGenerator<CriteoRecord> {
  const policy = opts.malformed ?? 'skip';
  const rl = createInterface({ input: createReadStream(path, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  let lineNo = 0;
  let good = 0;
  try {
    for await (const line of rl) {
      lineNo++;
      if (line === '' || line === '\r') continue;
      let rec: CriteoRecord;
      try {
        rec = parseCriteoLine(line, lineNo, path);
      } catch (e) {
        if (!(e instanceof CriteoFormatError) || policy === 'error') throw e;
        opts.onMalformed?.(e);
        continue;
      }
      yield rec;
      if (opts.limit !== undefined && ++good >= opts.limit) return;
    }
  } finally {
    rl.close();
  }
}
