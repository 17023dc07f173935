/**
 * Where a recommender run gets its rows: `--data PATH` (a Criteo TSV file, or a folder holding
 * train.txt or one .tsv/.txt file), `--synthetic N` (N rows of the known-model generator), or
 * the shared 9,999-row sample. All go through the same processed-data cache.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildCache, defaultCacheDir, loadCriteo, SyntheticCriteo, type CriteoData, type MalformedPolicy } from './index';
import { dataPath } from '../../../data/paths';
import { checkScorable } from './scorable';

export interface DataSpec {
  data?: string;
  synthetic?: number;
  syntheticSeed?: number;
  cacheDir?: string;
  malformed?: MalformedPolicy;
  rebuild?: boolean;
}

export interface ResolvedData {
  data: CriteoData;
  /** 'criteo-sample', 'criteo', 'synthetic-2000000' … */
  label: string;
}

export const SAMPLE_FILE = 'criteo_sample_9999.tsv';

export function resolveCriteoFile(p: string): string {
  if (!existsSync(p)) throw new Error(`--data ${p}: no such file or folder`);
  if (!statSync(p).isDirectory()) return p;
  if (existsSync(join(p, 'train.txt'))) return join(p, 'train.txt');
  const cands = readdirSync(p).filter((f) => /\.(tsv|txt)$/.test(f));
  if (cands.length === 1) return join(p, cands[0]!);
  if (cands.includes(SAMPLE_FILE)) return join(p, SAMPLE_FILE);
  throw new Error(`--data ${p}: a folder must hold train.txt or exactly one .tsv/.txt Criteo file (found ${cands.length})`);
}

export async function resolveData(spec: DataSpec, log: (m: string) => void = () => {}): Promise<ResolvedData> {
  const cacheDir = spec.cacheDir ?? defaultCacheDir();
  if (spec.synthetic !== undefined) {
    const n = spec.synthetic;
    if (!(Number.isInteger(n) && n >= 100)) throw new Error(`--synthetic must be a row count >= 100, got ${n}`);
    const seed = spec.syntheticSeed ?? 0;
    const gen = new SyntheticCriteo({ seed });
    const data = await buildCache(join(cacheDir, `synthetic-seed${seed}-n${n}-v2`), () => gen.rows(0, n), { sourceName: `synthetic(seed ${seed}, ${n} rows)`, rebuild: spec.rebuild, log });
    checkScorable(data);
    return { data, label: `synthetic-${n}` };
  }
  const file = resolveCriteoFile(spec.data ?? join(dataPath('criteo'), SAMPLE_FILE));
  const data = await loadCriteo(file, { cacheDir, malformed: spec.malformed, rebuild: spec.rebuild, log });
  checkScorable(data);
  return { data, label: spec.data ? 'criteo' : 'criteo-sample' };
}
