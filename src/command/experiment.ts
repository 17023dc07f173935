/**
 * A `dfa reproduce` table as what it is: a set of independent training runs and a table assembled
 * from their results. An Experiment says which runs a table needs (`plan`), how to do one run in
 * any process (`run`, from JSON parameters only), and how to build the table from the results it
 * has (`assemble`, also from a partial set). The same table can then be produced locally, run by
 * run into result files that a later sitting reuses (`--runs DIR`), or by workers on other machines
 * (src/command/queue), and assembled into the reproduction report.
 */
import type { ResultRow } from './results';

/** One independent run: a stable id (also its result file's name) and everything it needs, as JSON. */
export interface RunSpec {
  /** e.g. 'table3/cora/gcn/dfa/seed0': unique within the table, stable across sittings */
  id: string;
  /**
   * Everything the run needs and every setting that changes its result (a stored result is reused
   * only when its params are equal): a worker on another machine gets nothing else.
   */
  params: Record<string, unknown>;
  /** a rough relative cost (e.g. epochs × nodes) for progress estimates; default 1 */
  cost?: number;
  /**
   * Keys of `params` that only say where the run writes its files (a model folder): they do not
   * change the result, so a stored run made with another value is still the same run.
   */
  outputParams?: string[];
}

export interface RunContext {
  /** report progress within the run (0..1) with a few named numbers */
  progress(fraction: number, fields?: Record<string, string | number>): void;
  /** a folder for this run's checkpoints, when the table checkpoints: a retried run resumes from it */
  checkpointDir?: string;
  /** messages for the log (not the table) */
  log(message: string): void;
}

/** A run that failed for a reason worth reporting in the table's notes (bad data, diverged, ...). */
export interface RunFailure {
  error: string;
  /** true when retrying cannot help (missing file, bad settings): the queue stops retrying */
  deterministic: boolean;
}

export type RunOutcome<R> = { ok: true; result: R } | ({ ok: false } & RunFailure);

export interface Assembled {
  rows: ResultRow[];
  /** lines printed after the table (verdicts, orderings, budgets) */
  notes?: string[];
  /** extra keys written into --json (budget, settings, checks, figures' paths) */
  meta?: Record<string, unknown>;
  /** digits of the printed table (default 2) */
  digits?: number;
  /**
   * A table of the experiment's own layout (e.g. several measures per cell), printed and written to
   * --md in place of the rows' standard one; the rows still go to --json.
   */
  table?: { text: string; markdown: string };
}

export interface Experiment<O, R = unknown> {
  /** the table's name as `dfa reproduce` knows it */
  table: string;
  /**
   * The folder under --runs that keeps its runs (default: `table`). Tables that share runs name
   * the same folder, with ids unique across them, so a run stored by one table serves the others
   * in a later sitting (the graph tables: table3's DFA cells are tableA4's and tableA2's).
   */
  runsFolder?: string;
  plan(options: O): RunSpec[];
  /** One run from its spec alone (any process, any machine with the same code and data). */
  run(spec: RunSpec, ctx: RunContext): Promise<R>;
  /** the table from the outcomes available so far (missing ids: not run yet) */
  assemble(options: O, outcomes: Map<string, RunOutcome<R>>): Assembled | Promise<Assembled>;
  /**
   * Work after every run has finished (figures drawn from the results, checks across tables).
   * Runs in the submitting process only.
   */
  finish?(options: O, outcomes: Map<string, RunOutcome<R>>): Promise<void>;
}

/** Errors that say retrying is useless (a missing or damaged file, settings that cannot work). */
export class DeterministicRunError extends Error {
  readonly deterministic = true;
}

export function failureOf(e: unknown): RunFailure {
  const err = e as Error & { deterministic?: boolean };
  return { error: err?.message ?? String(e), deterministic: Boolean(err?.deterministic) };
}

/** A file-name-safe form of a run id. */
export function runFileName(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '_') + '.json';
}
