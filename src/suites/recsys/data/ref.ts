/**
 * The data of a recommender run as JSON parameters: which rows (the shared sample, a user's file,
 * or the synthetic generator), identified by content (the file's SHA-256), with the settings of
 * the processed cache that shape them (min count, malformed-line policy). A run planned on one
 * machine opens the same rows on another, or refuses with a named error when its file differs.
 * Where the processed cache lives is this process's setting (`useCacheDir`; a worker's own) or the
 * caller's (`openData(ref, { cacheDir })`), not a parameter: it does not change a result.
 */
import { checkScorable } from './scorable';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeterministicRunError } from '../../../command/experiment';
import { dataPath } from '../../../data/paths';
import { buildCache, defaultCacheDir, loadCriteo, SyntheticCriteo, type CriteoData, type MalformedPolicy } from '.';
import { sha256OfFile } from './content_hash';
import { resolveCriteoFile, SAMPLE_FILE } from './resolve';

/** Tokens seen fewer times share their field's out-of-vocabulary index (torchfm's threshold). */
export const MIN_COUNT = 10;

export type DataRef =
  /** the shared 9,999-row sample, found in the shared data of the machine that runs it */
  | { kind: 'sample'; sha256: string; minCount: number; malformed: MalformedPolicy }
  /** a user's Criteo TSV file (the one machine path a run carries) */
  | { kind: 'file'; path: string; sha256: string; minCount: number; malformed: MalformedPolicy }
  /** rows of the known-model generator */
  | { kind: 'synthetic'; rows: number; seed: number };

export interface DataChoice {
  data?: string;
  synthetic?: number;
  syntheticSeed?: number;
  malformed?: MalformedPolicy;
}

/** The reference of the rows a command's options choose (reads a file once to hash it). */
export function dataRefOf(o: DataChoice): DataRef {
  if (o.synthetic !== undefined) return { kind: 'synthetic', rows: o.synthetic, seed: o.syntheticSeed ?? 0 };
  const malformed = o.malformed ?? 'skip';
  if (o.data !== undefined) {
    const path = resolve(resolveCriteoFile(o.data));
    return { kind: 'file', path, sha256: sha256OfFile(path), minCount: MIN_COUNT, malformed };
  }
  return { kind: 'sample', sha256: sha256OfFile(sampleFile()), minCount: MIN_COUNT, malformed };
}

/** 'criteo-sample', 'criteo', 'synthetic-2000000': the dataset column of the tables. */
export function dataLabel(ref: DataRef | Pick<DataChoice, 'data' | 'synthetic'>): string {
  if ('kind' in ref) return ref.kind === 'synthetic' ? `synthetic-${ref.rows}` : ref.kind === 'file' ? 'criteo' : 'criteo-sample';
  return ref.synthetic !== undefined ? `synthetic-${ref.synthetic}` : ref.data !== undefined ? 'criteo' : 'criteo-sample';
}

/** About how many rows a reference holds, before its cache exists (progress estimates only). */
export function estimatedRows(ref: DataRef): number {
  if (ref.kind === 'synthetic') return ref.rows;
  if (ref.kind === 'sample') return 9999;
  return Math.max(1, Math.round(statSync(ref.path).size / 250)); // a Criteo line is ~250 bytes
}

function sampleFile(): string {
  return join(dataPath('criteo'), SAMPLE_FILE);
}

let cacheRoot: string | undefined;

/** Where this process keeps processed data (default $DFA_CACHE/criteo or ~/.cache/dfa-ts/criteo). */
export function useCacheDir(dir: string | undefined): void {
  cacheRoot = dir;
}

const opened = new Map<string, CriteoData>();

/**
 * The processed rows of a reference, built into the cache on first use and kept for the runs of
 * this process (while its cache folder exists). A missing or changed file, or one without a valid
 * row, is a DeterministicRunError naming the file (and the line, for a malformed one under
 * malformed 'error').
 */
export async function openData(ref: DataRef, opts: { cacheDir?: string; log?: (m: string) => void } = {}): Promise<CriteoData> {
  const cacheDir = opts.cacheDir ?? cacheRoot ?? defaultCacheDir();
  const key = JSON.stringify([cacheDir, ref]);
  const have = opened.get(key);
  if (have && existsSync(join(have.dir, 'rows.i32'))) return have;
  try {
    const data = await load(ref, cacheDir, opts.log ?? (() => {}));
    opened.set(key, data);
    return data;
  } catch (e) {
    throw e instanceof DeterministicRunError ? e : new DeterministicRunError((e as Error).message);
  }
}

async function load(ref: DataRef, cacheDir: string, log: (m: string) => void): Promise<CriteoData> {
  if (ref.kind === 'synthetic') {
    const gen = new SyntheticCriteo({ seed: ref.seed });
    return buildCache(join(cacheDir, `synthetic-seed${ref.seed}-n${ref.rows}-v2`), () => gen.rows(0, ref.rows), { sourceName: `synthetic(seed ${ref.seed}, ${ref.rows} rows)`, log });
  }
  const file = ref.kind === 'file' ? ref.path : sampleFile();
  if (!existsSync(file)) throw new DeterministicRunError(`${file}: no such file (the run's data${ref.kind === 'sample' ? ': the shared Criteo sample' : ''})`);
  const data = await loadCriteo(file, { cacheDir, minCount: ref.minCount, malformed: ref.malformed, expectSha256: ref.sha256, log });
  checkScorable(data);
  return data;
}
