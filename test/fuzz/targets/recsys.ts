/** Criteo: the TSV reader (through the cache it builds) and a built cache read back. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '../../../src/data/paths';
import { buildCache, loadCriteo, NUM_COLUMNS, parseCriteoLine, type CriteoMeta } from '../../../src/suites/recsys/data';
import type { FileSet, FuzzTarget } from '../harness';

const SAMPLE = join(sharedDataDir(), 'criteo/criteo_sample_9999.tsv');
/** The shared sample's first lines (real rows, small enough to rebuild a cache per case). */
const head = (n: number) => readFileSync(SAMPLE, 'utf8').split('\n').slice(0, n).join('\n') + '\n';
const enc = (s: string) => new TextEncoder().encode(s);

interface Loaded {
  meta: CriteoMeta;
  rows: Int32Array;
}

/** Every row of the cache, read as training reads it. */
function readAll(d: { meta: CriteoMeta; open(): { numRows: number; read(s: number, c: number): Int32Array; close?(): void } }): Loaded {
  const src = d.open();
  try {
    return { meta: d.meta, rows: src.read(0, src.numRows) };
  } finally {
    src.close?.();
  }
}

function checkRows({ meta, rows }: Loaded): void {
  if (rows.length !== meta.numRows * NUM_COLUMNS) throw new Error(`${rows.length / NUM_COLUMNS} rows, meta says ${meta.numRows}`);
  if (meta.numRows < 1) throw new Error('no rows');
  for (let o = 0; o < rows.length; o += NUM_COLUMNS) {
    if (rows[o] !== 0 && rows[o] !== 1) throw new Error(`label ${rows[o]}`);
    for (let f = 0; f < 39; f++) if (!(rows[o + 1 + f]! >= 0 && rows[o + 1 + f]! < meta.fieldDims[f]!)) throw new Error(`field ${f} index ${rows[o + 1 + f]} outside [0, ${meta.fieldDims[f]})`);
  }
}

const quiet = { log: () => {}, onMalformed: () => {} };

export const criteoTsv: FuzzTarget<Loaded> = {
  name: 'criteo-tsv',
  seeds: [{ 'data.tsv': enc(head(40)) }, { 'data.tsv': enc(head(12).replace(/\n/g, '\r\n')) }],
  load: async (dir) => readAll(await loadCriteo(join(dir, 'data.tsv'), { cacheDir: join(dir, 'cache'), minCount: 2, ...quiet })),
  check: checkRows,
};

const LINES = head(40).split('\n').filter(Boolean);
const records = () => LINES.map((l, i) => parseCriteoLine(l, i + 1, 'seed.tsv'));

/** A cache built from the sample's first 40 lines: meta.json, rows.i32, vocab.json. */
async function cacheSeed(): Promise<FileSet> {
  const dir = mkdtempSync(join(tmpdir(), 'dfa-fuzz-criteo-'));
  try {
    await buildCache(dir, records, { sourceName: 'seed.tsv', minCount: 2 });
    return Object.fromEntries(['meta.json', 'rows.i32', 'vocab.json'].map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const criteoCache: FuzzTarget<Loaded> = {
  name: 'criteo-cache',
  seeds: [await cacheSeed()],
  mutable: ['meta.json', 'rows.i32'],
  load: async (dir) => readAll(await buildCache(dir, records, { sourceName: 'seed.tsv', minCount: 2, log: () => {} })),
  check: checkRows,
};
