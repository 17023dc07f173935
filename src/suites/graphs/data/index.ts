/**
 * `loadPlanetoid('cora')`: the Planetoid graph from a user's folder (`dir`), else from the shared
 * data folder (`<data>/<name>/raw`), else from the download cache, fetching the raw files from the
 * canonical location into the cache when `download` is set and the machine is online.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { dataPath, hasSharedData } from '../../../data/paths';
import { loadPlanetoidRaw, missingRawFiles, PLANETOID_URL, PlanetoidFileError, type GraphData, type PlanetoidName } from './planetoid';

export * from './planetoid';
export { loadConvertedPlanetoid } from './converted';

export function planetoidCacheDir(name: PlanetoidName): string {
  const base = process.env.DFA_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dfa-ts');
  return join(base, 'planetoid', name);
}

/** Fetch the raw files `dir` lacks from the canonical Planetoid repository. */
export async function downloadPlanetoid(name: PlanetoidName, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const file of missingRawFiles(name, dir)) {
    const url = `${PLANETOID_URL}/${file}`;
    let res: Response;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new PlanetoidFileError(`cannot download ${url} (${(e as Error).message}); are you offline? Put the file in ${dir} by hand.`);
    }
    if (!res.ok) throw new PlanetoidFileError(`cannot download ${url}: HTTP ${res.status}`);
    writeFileSync(join(dir, file), new Uint8Array(await res.arrayBuffer()));
  }
}

export interface PlanetoidOptions {
  /** A folder with the raw files (or with a raw/ sub-folder). */
  dir?: string;
  /** Fetch missing raw files into the cache (only when no `dir` is given). */
  download?: boolean;
}

export async function loadPlanetoid(name: PlanetoidName, opts: PlanetoidOptions = {}): Promise<GraphData> {
  if (opts.dir) return loadPlanetoidRaw(name, { dir: opts.dir });
  const shared = dataPath(name);
  const cache = planetoidCacheDir(name);
  const sharedOk = hasSharedData(name) && missingRawFiles(name, shared).length === 0;
  if (sharedOk) return loadPlanetoidRaw(name, { dir: shared });
  if (existsSync(cache) && missingRawFiles(name, cache).length === 0) return loadPlanetoidRaw(name, { dir: cache });
  if (opts.download) {
    await downloadPlanetoid(name, cache);
    return loadPlanetoidRaw(name, { dir: cache });
  }
  // Report what is missing where the user would look first.
  return loadPlanetoidRaw(name, { dir: hasSharedData(name) ? shared : cache });
}

const loaded = new Map<string, Promise<GraphData>>();

/** loadPlanetoid, once per process for each (name, folder): the tables' cells share the parsed data. */
export function loadGraphData(name: PlanetoidName, dir?: string): Promise<GraphData> {
  const key = `${name}:${dir ?? ''}`;
  let p = loaded.get(key);
  if (!p) {
    p = loadPlanetoid(name, { dir });
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}
