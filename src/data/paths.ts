/** Where data lives: `--data DIR` wins, then $DFA_DATA, then the shared folder beside the repo. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared data folder (`../shared/data` from the repository root), or $DFA_DATA. */
export function sharedDataDir(): string {
  return process.env.DFA_DATA ? resolve(process.env.DFA_DATA) : resolve(REPO_ROOT, '..', 'shared', 'data');
}

/** `sub` inside the user's folder if given, else inside the shared data folder. */
export function dataPath(sub: string, userDir?: string): string {
  return userDir ? resolve(userDir) : join(sharedDataDir(), sub);
}

export function hasSharedData(sub: string): boolean {
  return existsSync(join(sharedDataDir(), sub));
}
