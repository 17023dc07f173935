/**
 * Node-only: Planetoid raw files read from a folder. The parsing itself (bytes → GraphData, the
 * processing of torch_geometric's `read_planetoid_data`) is browser-safe and lives in ./parse,
 * re-exported here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingMessageLines, parsePlanetoid, PlanetoidFileError, PLANETOID_DISPLAY, rawName, RAW_SUFFIXES, type GraphData, type PlanetoidName } from './parse';

export * from './parse';

/** The raw folder: `dir/raw` when it exists (the layout of ../shared/data/<name>), else `dir`. */
export function rawDir(dir: string): string {
  return existsSync(join(dir, 'raw')) ? join(dir, 'raw') : dir;
}

export function missingRawFiles(name: PlanetoidName, dir: string): string[] {
  const raw = rawDir(dir);
  return RAW_SUFFIXES.map((s) => rawName(name, s)).filter((f) => !existsSync(join(raw, f)));
}

function missingMessage(name: PlanetoidName, dir: string, missing: string[]): string {
  const raw = rawDir(dir);
  const lines = missingMessageLines(name, missing);
  return `${PLANETOID_DISPLAY[name]}: missing raw file${missing.length > 1 ? 's' : ''} ${missing.map((m) => join(raw, m)).join(', ')}.\n${lines}\nPut ${missing.length > 1 ? 'them' : 'it'} in ${raw}.`;
}

export interface LoadOptions {
  /** Folder holding the raw files (or a `raw/` sub-folder with them). */
  dir: string;
}

export function loadPlanetoidRaw(name: PlanetoidName, opts: LoadOptions): GraphData {
  const missing = missingRawFiles(name, opts.dir);
  if (missing.length) throw new PlanetoidFileError(missingMessage(name, opts.dir, missing));
  const raw = rawDir(opts.dir);
  return parsePlanetoid(name, (file) => {
    const b = readFileSync(join(raw, file));
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }, (file) => join(raw, file));
}
