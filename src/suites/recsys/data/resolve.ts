/**
 * The Criteo file a `--data PATH` names: the file itself, or in a folder its train.txt or its one
 * .tsv/.txt file (ref.ts turns it into a run's data reference).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
