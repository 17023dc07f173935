/**
 * Node-only: a table's runs as stored by earlier sittings (RunStore folders), looked up in several
 * stores at once (this sitting's --runs first, then --from), and which budget of a table they
 * serve: a whole plan, or the rows of a richer plan that every run they need has finished.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runFileName, type Experiment, type RunOutcome, type RunSpec } from '../command/experiment';
import type { ResultRow } from '../command/results';
import { RunStore, type StoredRun } from '../command/run_store';

/** The folder under a store that keeps this Experiment's runs (as runExperiment names it). */
export function groupOf(exp: Experiment<unknown, unknown>): string {
  return exp.runsFolder ?? exp.table;
}

export interface Found {
  run: StoredRun;
  /** the store it came from */
  root: string;
}

/**
 * The stored run of each spec (same id and params) in the first store that has one, preferring a
 * success to a failure. A damaged file is reported through `warn` and treated as absent.
 */
export function findStored(roots: readonly string[], group: string, specs: readonly RunSpec[], warn: (m: string) => void): Map<string, Found> {
  const out = new Map<string, Found>();
  const stores = roots.map((r) => ({ root: r, store: new RunStore(r, group) }));
  for (const sp of specs) {
    for (const { root, store } of stores) {
      let s: StoredRun | null = null;
      try {
        s = store.load(sp);
      } catch (e) {
        warn((e as Error).message);
      }
      if (!s) continue;
      const prev = out.get(sp.id);
      if (!prev || (!prev.run.outcome.ok && s.outcome.ok)) out.set(sp.id, { run: s, root });
      if (s.outcome.ok) break;
    }
  }
  return out;
}

/** A plan is complete when every run succeeded or failed for good (a missing file: rerunning cannot help). */
export function isComplete(specs: readonly RunSpec[], found: Map<string, Found>): boolean {
  return specs.every((sp) => {
    const o = found.get(sp.id)?.run.outcome;
    return o !== undefined && (o.ok || o.deterministic);
  });
}

export function outcomesOf(found: Map<string, Found>): Map<string, RunOutcome<unknown>> {
  return new Map([...found].map(([id, f]) => [id, f.run.outcome]));
}

/**
 * Copies the successful runs found in other stores into `root`, so this sitting's Experiment
 * (which reads one store) reuses them run by run; files already there are left alone.
 */
export function copyInto(root: string, group: string, found: Map<string, Found>): number {
  let n = 0;
  for (const [id, f] of found) {
    if (f.root === root || !f.run.outcome.ok) continue;
    const dst = join(root, group, runFileName(id));
    if (existsSync(dst)) continue;
    mkdirSync(dirname(dst), { recursive: true });
    copyFileSync(join(f.root, group, runFileName(id)), dst);
    n++;
  }
  return n;
}

export const rowKey = (r: ResultRow) => [r.table, r.dataset, r.model, r.method, r.metric].join('|');

const PROBE = 'report probe: this run is not stored';

/**
 * The rows of a partly stored plan (`all`, in the table's order) and those that are final: they read no missing run. Found by
 * assembling twice, without the missing runs and with each given a made-up failure; a row that
 * does not change reads none of them. Needs nothing of the table but its assemble.
 */
export async function finalRows<O>(exp: Experiment<O, unknown>, options: O, specs: readonly RunSpec[], outcomes: Map<string, RunOutcome<unknown>>): Promise<{ all: ResultRow[]; final: ResultRow[] }> {
  const missing = specs.filter((sp) => !outcomes.has(sp.id));
  const a = await exp.assemble(options, outcomes);
  if (!missing.length) return { all: a.rows, final: a.rows };
  const probed = new Map(outcomes);
  for (const sp of missing) probed.set(sp.id, { ok: false, error: `${PROBE} (${sp.id})`, deterministic: true });
  const b = await exp.assemble(options, probed);
  const after = new Map(b.rows.map((r) => [rowKey(r), JSON.stringify(r)]));
  return { all: a.rows, final: a.rows.filter((r) => after.get(rowKey(r)) === JSON.stringify(r)) };
}
