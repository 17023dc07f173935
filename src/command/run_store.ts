/**
 * Node-only: each run's outcome as one JSON file in a folder (`<runs>/<table>/<id>.json`), written
 * atomically as soon as the run ends, so nothing is lost when a later run fails, and a table can be
 * assembled over several sittings (or machines): a stored outcome is reused when its table, id and
 * params are the same and the run succeeded (a failed one is run again).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runFileName, type RunOutcome, type RunSpec } from './experiment';
import { runEnvironment, type RunEnvironment } from './environment';

export interface StoredRun<R = unknown> {
  format: 'dfa-ts-run';
  table: string;
  id: string;
  params: Record<string, unknown>;
  outcome: RunOutcome<R>;
  seconds: number;
  env: RunEnvironment;
  finished: string;
}

export class RunStore {
  readonly dir: string;
  constructor(root: string, readonly table: string) {
    this.dir = join(root, table);
  }

  private path(id: string): string {
    return join(this.dir, runFileName(id));
  }

  /** The stored outcome of this spec, when there is one made with the same params. */
  load<R>(spec: RunSpec): StoredRun<R> | null {
    const p = this.path(spec.id);
    if (!existsSync(p)) return null;
    const s = readRun<R>(p);
    if (s.table !== this.table || s.id !== spec.id) throw new Error(`${p} is not the stored result of ${this.table} run '${spec.id}'`);
    return sameParams(s.params, spec) ? s : null;
  }

  /** `env`: where the run ran (a queue's worker), default this process */
  save<R>(spec: RunSpec, outcome: RunOutcome<R>, seconds: number, env: RunEnvironment = runEnvironment()): StoredRun<R> {
    mkdirSync(this.dir, { recursive: true });
    const s: StoredRun<R> = { format: 'dfa-ts-run', table: this.table, id: spec.id, params: spec.params, outcome, seconds, env, finished: new Date().toISOString() };
    const p = this.path(spec.id);
    writeFileSync(p + '.tmp', JSON.stringify(s, null, 1) + '\n');
    renameSync(p + '.tmp', p);
    return s;
  }

  /** Every stored run of this table (for a report assembled from a folder). */
  all<R>(): StoredRun<R>[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter((f) => f.endsWith('.json')).map((f) => readRun<R>(join(this.dir, f)));
  }
}

/** A stored run file, its envelope checked (the result itself is the table's to read); errors name the file. */
/** Equal params, leaving out the keys that only place the run's files (`spec.outputParams`). */
export function sameParams(stored: Record<string, unknown>, spec: RunSpec): boolean {
  const drop = new Set(spec.outputParams ?? []);
  const keep = (p: Record<string, unknown>) => JSON.stringify(Object.entries(p).filter(([k]) => !drop.has(k)));
  return keep(stored) === keep(spec.params);
}

function readRun<R>(p: string): StoredRun<R> {
  let s: StoredRun<R>;
  try {
    s = JSON.parse(readFileSync(p, 'utf8'));
  } catch (e) {
    throw new Error(`run result ${p} is not valid JSON (${(e as Error).message}); delete it to run it again`);
  }
  const why = envelopeProblem(s);
  if (why) throw new Error(`run result ${p} is damaged (${why}); delete it to run it again`);
  return s;
}

function envelopeProblem(s: StoredRun<unknown>): string | null {
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObj(s) || s.format !== 'dfa-ts-run') return "not a dfa-ts run file (no format 'dfa-ts-run')";
  if (typeof s.table !== 'string' || typeof s.id !== 'string') return 'no table or id';
  if (!isObj(s.params)) return 'params is not an object';
  const o = s.outcome as unknown;
  if (!isObj(o) || typeof o.ok !== 'boolean') return 'outcome is not {ok, ...}';
  if (o.ok && o.result === undefined) return 'a successful outcome without a result';
  if (!o.ok && typeof o.error !== 'string') return 'a failed outcome without its error';
  if (typeof s.seconds !== 'number' || !(s.seconds >= 0)) return `seconds ${String(s.seconds)}`;
  return null;
}
