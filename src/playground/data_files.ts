/**
 * Node-only: the data files `dfa playground --cora DIR` serves beside the page — the eight raw
 * Planetoid files under data/cora/, and data/index.json, which tells the page that Cora is
 * offered. The files are parsed once here first, so a missing or broken file is reported at the
 * command line (naming it) instead of in the page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlanetoidRaw, rawDir, RAW_SUFFIXES } from '../suites/graphs/data/planetoid';

export interface ServedData {
  files: Map<string, Uint8Array>;
  /** what was checked, for the command's output */
  summary: string;
}

export function coraSiteFiles(dir: string): ServedData {
  const g = loadPlanetoidRaw('cora', { dir });
  const raw = rawDir(dir);
  const files = new Map<string, Uint8Array>();
  for (const s of RAW_SUFFIXES) files.set(`data/cora/ind.cora.${s}`, readFileSync(join(raw, `ind.cora.${s}`)));
  files.set('data/index.json', new TextEncoder().encode(JSON.stringify({ planetoid: ['cora'] })));
  return { files, summary: `Cora from ${raw}: ${g.numNodes} nodes, ${g.src.length / 2} edges, ${g.numFeatures} features` };
}
