/** The wings of the paper, in the order `dfa reproduce` lists them. */
import { GRAPHS } from './graphs/manifest';
import { NERF } from './nerf/manifest';
import { RECSYS } from './recsys/manifest';
import { TRANSFORMER } from './transformer/manifest';
import type { LazyCommand, Suite } from './types';

export const SUITES: readonly Suite[] = [RECSYS, GRAPHS, TRANSFORMER, NERF];

/** Every `dfa reproduce` table, with its suite. */
export function reproducibleTables(): Map<string, LazyCommand & { suite: string }> {
  const out = new Map<string, LazyCommand & { suite: string }>();
  for (const s of SUITES) for (const [name, t] of Object.entries(s.tables)) out.set(name, { ...t, suite: s.name });
  return out;
}
