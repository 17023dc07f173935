/**
 * Builds and reuses the processed-data cache: pass 1 counts tokens per field, pass 2 encodes
 * every row with the vocabulary and appends it to `rows.i32` (40 int32 per row), written in
 * blocks so memory stays bounded except for the per-field token counts. `meta.json` (written
 * last, so an interrupted build is never mistaken for a cache) holds the field dimensions, the
 * row count, the malformed lines and the SHA-256 of the source's bytes. The cache of a file is
 * keyed by that hash (content_hash.ts: one streamed read of the file per load), so a changed
 * source, even rewritten at the same size with its time restored, never reuses a stale cache.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { CriteoFormatError, NUM_COLUMNS, NUM_FIELDS, type CriteoRecord } from './format';
import { readCriteoTsv, type MalformedPolicy } from './reader';
import { FileRowSource } from './source';
import { FieldCounter, Vocabulary } from './vocab';
import { sha256OfFile } from './content_hash';

export const CACHE_VERSION = 2;

export interface CriteoMeta {
  version: number;
  source: string;
  numRows: number;
  positives: number;
  fieldDims: number[];
  minCount: number;
  malformed: { count: number; first: { line: number; reason: string }[] };
  sourceBytes?: number;
  /** the SHA-256 of the source file's bytes (files only) */
  sourceSha256?: string;
}

export interface CriteoCacheOptions {
  /** Folder for caches; default $DFA_CACHE/criteo or ~/.cache/dfa-ts/criteo. */
  cacheDir?: string;
  minCount?: number;
  malformed?: MalformedPolicy;
  rebuild?: boolean;
  /** refuse a file whose content hash is not this one (a run planned on other data) */
  expectSha256?: string;
  /** Called for each malformed line (default: a warning for the first 10). */
  onMalformed?: (e: CriteoFormatError) => void;
  log?: (msg: string) => void;
}

export interface CriteoData {
  meta: CriteoMeta;
  dir: string;
  /** true when the cache already existed. */
  cached: boolean;
  open(): FileRowSource;
}

export function defaultCacheDir(): string {
  return process.env.DFA_CACHE ? join(resolve(process.env.DFA_CACHE), 'criteo') : join(homedir(), '.cache', 'dfa-ts', 'criteo');
}

type RecordStream = () => AsyncIterable<CriteoRecord> | Iterable<CriteoRecord>;

/** Loads (building on first use) the processed cache of a Criteo TSV file. */
export async function loadCriteo(path: string, opts: CriteoCacheOptions = {}): Promise<CriteoData> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new Error(`Criteo file not found: ${abs}`);
  const st = statSync(abs);
  if (st.isDirectory()) throw new Error(`${abs} is a folder; pass the Criteo TSV file (train.txt or criteo_sample_9999.tsv)`);
  const minCount = opts.minCount ?? 10;
  const sha256 = sha256OfFile(abs);
  if (opts.expectSha256 && opts.expectSha256 !== sha256) {
    throw new Error(`${abs} is not the data the run was planned with: its content changed (SHA-256 ${sha256.slice(0, 12)}… now, ${opts.expectSha256.slice(0, 12)}… planned)`);
  }
  const key = createHash('sha256').update(JSON.stringify([CACHE_VERSION, sha256, minCount])).digest('hex').slice(0, 16);
  const dir = join(opts.cacheDir ?? defaultCacheDir(), `${basename(abs).replace(/[^\w.-]/g, '_')}-${key}`);
  const malformed: CriteoMeta['malformed'] = { count: 0, first: [] };
  let warned = 0;
  const onMalformed = (e: CriteoFormatError) => {
    malformed.count++;
    if (malformed.first.length < 100) malformed.first.push({ line: e.lineNo, reason: e.reason });
    if (opts.onMalformed) opts.onMalformed(e);
    else if (warned++ < 10) console.warn(`skipping ${e.message}`);
  };
  let pass = 0;
  const data = await buildCache(dir, () => {
    // Report malformed lines once (pass 1), not again when pass 2 meets them.
    const p = pass++;
    return readCriteoTsv(abs, { malformed: opts.malformed, onMalformed: p === 0 ? onMalformed : () => {} });
  }, {
    cacheDir: opts.cacheDir, rebuild: opts.rebuild, log: opts.log, minCount, sourceName: abs, malformed,
    extra: { sourceBytes: st.size, sourceSha256: sha256 },
  });
  // A cache built while skipping malformed lines still refuses them under malformed: 'error'.
  const m = data.meta.malformed;
  if (data.cached && opts.malformed === 'error' && m.count > 0) {
    throw new CriteoFormatError(abs, m.first[0]!.line, m.first[0]!.reason);
  }
  return data;
}

/** Builds (or reuses) a cache in `dir` from a record stream that can be iterated twice. */
export async function buildCache(
  dir: string,
  records: RecordStream,
  opts: Omit<CriteoCacheOptions, 'malformed'> & { sourceName: string; malformed?: CriteoMeta['malformed']; extra?: Partial<CriteoMeta> },
): Promise<CriteoData> {
  const metaPath = join(dir, 'meta.json');
  const rowsPath = join(dir, 'rows.i32');
  const open = (meta: CriteoMeta) => () => new FileRowSource(rowsPath, meta.fieldDims);
  const log = opts.log ?? (() => {});
  if (!opts.rebuild && existsSync(metaPath) && existsSync(rowsPath)) {
    // A cache is only ever reused whole: a damaged meta.json (or rows of another size) is rebuilt.
    let meta: unknown;
    let problem: string | null;
    try {
      meta = JSON.parse(readFileSync(metaPath, 'utf8'));
      problem = metaProblem(meta, statSync(rowsPath).size);
    } catch (e) {
      problem = `not valid JSON (${(e as Error).message})`;
    }
    if (!problem) return { meta: meta as CriteoMeta, dir, cached: true, open: open(meta as CriteoMeta) };
    if (!/^version /.test(problem)) log(`criteo: the cache's ${metaPath} is damaged (${problem}); rebuilding it`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const minCount = opts.minCount ?? 10;
  log(`criteo: counting tokens in ${opts.sourceName}`);
  const counter = new FieldCounter();
  for await (const r of records()) counter.add(r.tokens);
  const vocab = Vocabulary.fromCounts(counter, minCount);
  log(`criteo: writing ${rowsPath}`);
  const tmp = rowsPath + '.tmp';
  const fd = openSync(tmp, 'w');
  const BLOCK = 16384;
  const block = new Int32Array(BLOCK * NUM_COLUMNS);
  let inBlock = 0;
  let numRows = 0;
  let positives = 0;
  const flush = () => {
    if (inBlock) writeSync(fd, new Uint8Array(block.buffer, 0, inBlock * NUM_COLUMNS * 4));
    inBlock = 0;
  };
  try {
    for await (const r of records()) {
      vocab.encode(r.label, r.tokens, block, inBlock * NUM_COLUMNS);
      positives += r.label;
      numRows++;
      if (++inBlock === BLOCK) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
  if (numRows === 0) {
    rmSync(dir, { recursive: true, force: true });
    const m = opts.malformed;
    const why = m?.count ? ` (all ${m.count} non-blank lines are malformed; line ${m.first[0]!.line}: ${m.first[0]!.reason})` : ' (it is empty)';
    throw new Error(`${opts.sourceName}: no valid Criteo rows${why}`);
  }
  renameSync(tmp, rowsPath);
  const meta: CriteoMeta = {
    version: CACHE_VERSION, source: opts.sourceName, numRows, positives, fieldDims: vocab.fieldDims, minCount,
    malformed: opts.malformed ?? { count: 0, first: [] }, ...opts.extra,
  };
  writeFileSync(join(dir, 'vocab.json'), JSON.stringify(vocab.toJSON()));
  writeFileSync(metaPath + '.tmp', JSON.stringify(meta, null, 1));
  renameSync(metaPath + '.tmp', metaPath); // meta.json appears whole, after the rows: a kill never leaves half of it
  return { meta, dir, cached: false, open: open(meta) };
}

/** Why a cache's meta.json cannot describe rows.i32 of `rowsBytes` bytes, or null when it can. */
function metaProblem(m: unknown, rowsBytes: number): string | null {
  const o = m as Partial<CriteoMeta> | null;
  const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!o || typeof o !== 'object') return 'not an object';
  if (o.version !== CACHE_VERSION) return `version ${String(o.version)}, not ${CACHE_VERSION}`;
  if (!count(o.numRows) || o.numRows! * NUM_COLUMNS * 4 !== rowsBytes) return `numRows ${String(o.numRows)} does not match rows.i32 (${rowsBytes} bytes)`;
  if (!count(o.positives) || o.positives! > o.numRows!) return `positives ${String(o.positives)}`;
  if (!Array.isArray(o.fieldDims) || o.fieldDims.length !== NUM_FIELDS || !o.fieldDims.every((d) => count(d) && d >= 1)) return 'fieldDims is not 39 positive counts';
  const mal = o.malformed;
  if (!mal || !count(mal.count) || !Array.isArray(mal.first) || (mal.count > 0 && !mal.first.length) ||
    !mal.first.every((x) => x && count(x.line) && typeof x.reason === 'string')) return 'malformed is not {count, first: [{line, reason}]}';
  if (typeof o.source !== 'string' || !count(o.minCount)) return 'source or minCount missing';
  return null;
}
