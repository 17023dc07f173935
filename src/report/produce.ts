/**
 * Node-only: one `dfa reproduce` table for the report, at the richest budget the stored runs
 * allow. The rule (said on the page): among the budgets at least as rich as the one asked, the
 * richest whose whole plan is stored (in --runs or --from) is assembled from its runs, nothing
 * run; else the asked budget is run, reusing every stored run of its plan (those of --from are
 * copied into --runs first), and then each row that a richer budget's stored runs already give in
 * full (every seed) replaces the asked budget's row, and a row the asked budget lacks (DNA at
 * quick) is added from a richer budget's stored runs even in progress (its note names the seeds
 * missing), each marked with its budget.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runCommand, type Command } from '../command/command';
import type { Experiment, RunOutcome, RunSpec } from '../command/experiment';
import { parseOptions, type OptionTable } from '../command/options';
import type { ResultRow } from '../command/results';
import { runEnvironment, type RunEnvironment } from '../command/environment';
import { BUDGETS, type Budget, type LazyCommand, type TableBudget } from '../suites/types';
import { experimentOf } from '../command/experiment_command';
import { copyInto, finalRows, findStored, groupOf, isComplete, outcomesOf, rowKey, type Found } from './stored';

export interface SourceRequest {
  suite: string;
  table: string;
  /** the table, or the key of its second set of budgets */
  name: string;
  entry: LazyCommand;
  budgets: Readonly<Record<Budget, TableBudget>>;
  asked: Budget;
  /** this sitting's store (written) */
  runs: string;
  /** stores of earlier sittings (read) */
  from: readonly string[];
  /** run nothing: assemble what is stored */
  storedOnly: boolean;
  /** a job queue's URL, passed to the table when it takes --queue */
  queue?: string;
  /** folder for what the table writes (figures, models) */
  outDir: string;
  log(message: string): void;
}

/** A row of the report with the budget its numbers come from. */
export interface SourcedRow extends ResultRow {
  budget: Budget;
}

export interface RunRecord {
  id: string;
  params: Record<string, unknown>;
  outcome: RunOutcome<unknown>;
  seconds: number;
  env: RunEnvironment | null;
  /** the store it was read from */
  store: string;
}

export interface ProducedSource {
  suite: string;
  table: string;
  /** the table, or the key of its second set of budgets */
  name: string;
  asked: Budget;
  /** the budget of the table's notes and of the rows not marked otherwise */
  budget: Budget;
  args: readonly string[];
  /** what that budget leaves out or changes, as the wing states it */
  leaves?: string;
  /** how the numbers were obtained, for the page */
  how: string;
  rows: SourcedRow[];
  notes: string[];
  meta: Record<string, unknown>;
  /** the runs behind the rows (the primary plan's and those of upgraded rows) */
  runs: RunRecord[];
  /** PNG files the table wrote */
  figures: string[];
  /** this sitting: seconds, CPU seconds of this process (all threads), load average before and after */
  wall: number;
  cpu: number;
  load: [number, number];
  ran: number;
  reused: number;
  /** set when the table could not be produced at all */
  error?: string;
}

const rank = (b: Budget) => BUDGETS.indexOf(b);

/** `dfa reproduce <table> <args>` as a reader would type it. */
export function commandLine(table: string, args: readonly string[]): string {
  return ['dfa reproduce', table, ...args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(' ');
}

function parseBudget(cmd: Command, args: readonly string[], extra: string[]): Record<string, unknown> {
  const { options } = parseOptions(`dfa ${cmd.name}`, cmd.options as OptionTable, [...args, ...extra]);
  cmd.validate?.({ positionals: [], options, given: new Set() });
  return options as Record<string, unknown>;
}

export async function produceSource(req: SourceRequest): Promise<ProducedSource> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const l0 = loadavg()[0]!;
  const base = { suite: req.suite, table: req.table, name: req.name, asked: req.asked, budget: req.asked, args: req.budgets[req.asked].args };
  const done = (p: Omit<ProducedSource, keyof typeof base | 'wall' | 'cpu' | 'load'> & Partial<typeof base>): ProducedSource => {
    const c = process.cpuUsage(c0);
    const leaves = req.budgets[p.budget ?? req.asked].leaves;
    return { ...base, ...p, ...(leaves ? { leaves } : {}), wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, load: [l0, loadavg()[0]!] };
  };
  try {
    const cmd = await req.entry.load();
    if (!('options' in cmd)) throw new Error(`'dfa reproduce ${req.table}' is not on the option layer`);
    const exp = experimentOf(cmd);
    if (!exp) throw new Error(`'dfa reproduce ${req.table}' is not an Experiment: the report assembles only tables whose runs it can plan, store and reuse`);
    return done(await fromExperiment(req, cmd, exp));
  } catch (e) {
    const error = (e as Error).message ?? String(e);
    req.log(`${req.table}: ${error}`);
    return done({ how: `failed: ${error}`, rows: [], notes: [], meta: {}, runs: [], figures: [], ran: 0, reused: 0, error });
  }
}

interface Planned {
  budget: Budget;
  options: Record<string, unknown>;
  specs: RunSpec[];
  found: Map<string, Found>;
}

async function fromExperiment(req: SourceRequest, cmd: Command, exp: Experiment<unknown, unknown>) {
  const group = groupOf(exp);
  const out = ['--out', req.outDir];
  const takesOut = 'out' in cmd.options;
  const stores = [req.runs, ...req.from.filter((f) => f !== req.runs)];
  const plans: Planned[] = [];
  for (const b of BUDGETS.filter((b) => rank(b) >= rank(req.asked)).reverse()) {
    const options = parseBudget(cmd, req.budgets[b].args, takesOut ? out : []);
    const specs = exp.plan(options);
    plans.push({ budget: b, options, specs, found: findStored(stores, group, specs, (m) => req.log(`${req.table}: ${m}`)) });
  }
  const complete = plans.find((p) => isComplete(p.specs, p.found));
  let primary = complete ?? plans[plans.length - 1]!;
  let how = "";
  let ran = 0;
  const reused = [...primary.found.values()].filter((f) => f.run.outcome.ok).length;
  if (complete) how = `assembled from its ${primary.specs.length} stored runs (${storesOf(primary.found)}), nothing run`;
  else if (req.storedOnly) how = `assembled from the ${primary.found.size} of its ${primary.specs.length} runs that are stored (${storesOf(primary.found) || 'none'}); the others not run (--stored-only)`;
  if (complete || req.storedOnly) {
    clearFigures(req.outDir);
    if (exp.finish && takesOut) await exp.finish(primary.options, outcomesOf(primary.found)); // figures from the stored runs
  } else {
    const copied = copyInto(req.runs, group, primary.found);
    const argv = [...req.budgets[req.asked].args, ...(takesOut ? out : []), '--runs', req.runs, '--allow-skip', ...(req.queue ? ['--queue', req.queue] : [])];
    req.log(`\n=== ${commandLine(req.table, argv)}${copied ? ` (${copied} stored runs copied from ${req.from.join(', ')})` : ''}`);
    clearFigures(req.outDir);
    await runCommand(cmd, argv);
    const stores0 = storesOf(primary.found);
    primary = { ...primary, found: findStored([req.runs], group, primary.specs, (m) => req.log(m)) };
    ran = primary.found.size - reused;
    how = `${ran} runs done in this sitting${reused ? `, ${reused} reused (${stores0})` : ''}`;
  }
  const outcomes = outcomesOf(primary.found);
  const assembled = await exp.assemble(primary.options, outcomes);
  const rows: SourcedRow[] = assembled.rows.map((r) => ({ ...r, budget: primary.budget }));
  const used = new Set(primary.specs.map((s) => s.id));
  const runs = records(primary.specs, primary.found);
  // rows a richer budget's stored runs give in full replace (or add to) the primary budget's
  const upgraded: string[] = [];
  let order: string[] | null = null;
  for (const p of plans.filter((p) => rank(p.budget) > rank(primary.budget) && [...p.found.values()].some((f) => f.run.outcome.ok))) {
    const { all, final } = await finalRows(exp, p.options, p.specs, outcomesOf(p.found));
    order ??= all.map(rowKey); // the richest budget plans every cell: its order
    let n = 0;
    const finished = new Set(final.map(rowKey));
    for (const r of all) {
      if (Number.isNaN(r.mean)) continue; // a richer budget's failure does not replace a number
      const k = rowKey(r);
      const i = rows.findIndex((x) => rowKey(x) === k);
      // a row in progress (some seeds stored) is shown only where the asked budget has no such row (e.g. DNA at quick); its note names the seeds not run yet
      if (i >= 0 ? !finished.has(k) || rank(rows[i]!.budget) >= rank(p.budget) : false) continue;
      if (i >= 0) rows[i] = { ...r, budget: p.budget };
      else rows.push({ ...r, budget: p.budget });
      n++;
    }
    if (n) {
      upgraded.push(`${n} row${n > 1 ? 's' : ''} from the ${p.budget} budget's stored runs (${storesOf(p.found)})`);
      for (const r of records(p.specs, p.found)) if (!used.has(r.id)) (used.add(r.id), runs.push(r));
    }
  }
  if (upgraded.length) how += `; ${upgraded.join('; ')}`;
  if (upgraded.length && order) {
    const at = (r: ResultRow) => (order!.indexOf(rowKey(r)) + order!.length + 1) % (order!.length + 1); // rows it lacks: last
    rows.sort((a, b) => at(a) - at(b));
  }
  return {
    budget: primary.budget, args: req.budgets[primary.budget].args, how, rows, notes: assembled.notes ?? [], meta: assembled.meta ?? {}, runs,
    figures: takesOut ? pngsIn(req.outDir) : [], ran, reused,
  };
}

function storesOf(found: Map<string, Found>): string {
  return [...new Set([...found.values()].map((f) => f.root))].join(', ');
}

function records(specs: readonly RunSpec[], found: Map<string, Found>): RunRecord[] {
  return specs.flatMap((sp) => {
    const f = found.get(sp.id);
    return f ? [{ id: sp.id, params: sp.params, outcome: f.run.outcome, seconds: f.run.seconds, env: f.run.env, store: f.root }] : [];
  });
}

/** A table's figures of an earlier sitting must not pass for this one's. */
function clearFigures(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (/\.(png|svg)$/.test(f)) rmSync(join(dir, f), { force: true });
}

function pngsIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.png')).sort().map((f) => join(dir, f)) : [];
}

/** The machine, for the page. */
export function machine(): { host: string; cpu: string; cores: number } {
  const env = runEnvironment();
  return { host: env.host, cpu: env.cpu, cores: cpus().length };
}
