/**
 * Node-only: produce a table from its Experiment in this process. Runs every planned run that has
 * no stored outcome (with `runs`: a folder of result files a later sitting reuses), one at a time,
 * with one progress bar over all of them; after each run the partial table is written to --json,
 * so a late failure loses nothing. A run that fails is reported in the table's notes; the command
 * then exits non-zero unless `allowSkip`.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { failureOf, type Assembled, type Experiment, type RunOutcome, type RunSpec } from './experiment';
import { fmtTime, Progress } from './progress';
import { formatMarkdown, formatTable } from './results';
import { RunStore } from './run_store';
import { runEnvironment, type RunEnvironment } from './environment';

export interface ExperimentIo {
  /** store each run's outcome in <runs>/<table>/ and reuse the ones there */
  runs?: string;
  /** per-run checkpoint folders under <checkpoints>/<runs folder>/<id>/ (the experiment's runsFolder, default its table: a run shared by tables resumes from either) */
  checkpoints?: string;
  json?: string;
  md?: string;
  /** exit 0 even when runs failed or were skipped */
  allowSkip?: boolean;
  /** execute the runs elsewhere (a queue); default: here, one after another */
  executor?: RunExecutor;
}

/** A run in progress: how far it is (0..1) and, through a queue, which worker runs it. */
export interface RunningRun {
  spec: RunSpec;
  fraction: number;
  worker?: string;
}

/**
 * Runs the given specs somewhere and reports each outcome as it arrives (once per spec; `env`:
 * where it ran, when that was another process), and the runs in flight for the progress bar.
 */
export interface RunExecutor {
  execute<R>(
    table: string,
    specs: RunSpec[],
    onOutcome: (spec: RunSpec, outcome: RunOutcome<R>, seconds: number, env?: RunEnvironment) => Promise<void>,
    progress?: (running: RunningRun[], fields: Record<string, string | number>) => void,
  ): Promise<void>;
}

export interface ExperimentSummary<R> {
  assembled: Assembled;
  outcomes: Map<string, RunOutcome<R>>;
  failed: string[];
  reused: number;
  seconds: number;
}

/** Plan, run what is missing, assemble; prints the table; returns the exit code (0, or 3 when runs failed without allowSkip). */
export async function runExperiment<O, R>(exp: Experiment<O, R>, options: O, io: ExperimentIo = {}): Promise<number> {
  const s = await produce(exp, options, io);
  const a = s.assembled;
  console.log('\n' + (a.table?.text ?? formatTable(a.rows, a.digits ?? 2)));
  if (a.notes?.length) console.log('\n' + a.notes.join('\n'));
  console.log(`\n${exp.table}: ${s.outcomes.size} runs (${s.reused} reused from ${io.runs ?? '-'}), ${fmtTime(s.seconds)}`);
  if (s.failed.length) {
    console.error(`\n${exp.table}: ${s.failed.length} run(s) failed or were skipped: ${s.failed.join(', ')} (their reasons are in the table's notes)`);
    if (!io.allowSkip) {
      console.error('exit status 3: rerun after fixing the cause (finished runs are reused with --runs), or pass --allow-skip to accept a table with these cells missing');
      return 3;
    }
  }
  return 0;
}

export async function produce<O, R>(exp: Experiment<O, R>, options: O, io: ExperimentIo = {}): Promise<ExperimentSummary<R>> {
  const t0 = performance.now();
  const specs = exp.plan(options);
  const ids = new Set<string>();
  for (const sp of specs) {
    if (ids.has(sp.id)) throw new Error(`${exp.table}: the plan lists run '${sp.id}' twice`);
    ids.add(sp.id);
  }
  const store = io.runs ? new RunStore(io.runs, exp.runsFolder ?? exp.table) : null;
  const outcomes = new Map<string, RunOutcome<R>>();
  let reused = 0;
  for (const sp of specs) {
    const st = store?.load<R>(sp);
    // a stored failure is run again: the message says to rerun after fixing its cause
    if (st?.outcome.ok) {
      outcomes.set(sp.id, st.outcome);
      reused++;
    }
  }
  const todo = specs.filter((sp) => !outcomes.has(sp.id));
  if (reused) console.error(`${exp.table}: reusing ${reused} of ${specs.length} runs stored in ${store!.dir}`);
  const total = todo.reduce((a, sp) => a + (sp.cost ?? 1), 0);
  let doneCost = 0;
  const bar = new Progress(Math.max(1, Math.round(total * 1000)), exp.table);
  const writePartial = async () => {
    if (!io.json) return;
    const a = await exp.assemble(options, outcomes);
    writeJson(io.json, exp.table, a, specs, outcomes, true);
  };
  const delivered = new Set<string>();
  const onOutcome = async (sp: RunSpec, outcome: RunOutcome<R>, seconds: number, env?: RunEnvironment) => {
    if (delivered.has(sp.id)) return; // an executor that hears of a run twice stores it once
    delivered.add(sp.id);
    outcomes.set(sp.id, outcome);
    store?.save(sp, outcome, seconds, env);
    doneCost += sp.cost ?? 1;
    bar.update(Math.round(doneCost * 1000), { run: sp.id, ...(outcome.ok ? {} : { failed: outcome.error.slice(0, 60) }) });
    await writePartial();
  };
  const progress = (running: RunningRun[], fields: Record<string, string | number>) =>
    bar.update(Math.round((doneCost + running.reduce((a, r) => a + (r.spec.cost ?? 1) * r.fraction, 0)) * 1000), fields);
  const executor = io.executor ?? localExecutor(exp, io);
  await executor.execute<R>(exp.table, todo, onOutcome, progress);
  await exp.finish?.(options, outcomes);
  const assembled = await exp.assemble(options, outcomes);
  if (io.json) writeJson(io.json, exp.table, assembled, specs, outcomes, false);
  if (io.md) {
    mkdirSync(dirname(io.md), { recursive: true });
    writeFileSync(io.md, (assembled.table?.markdown ?? formatMarkdown(assembled.rows, assembled.digits ?? 2)) + (assembled.notes?.length ? `\n${assembled.notes.join('\n\n')}\n` : ''));
  }
  const failed = specs.filter((sp) => outcomes.get(sp.id)?.ok === false).map((sp) => sp.id);
  return { assembled, outcomes, failed, reused, seconds: (performance.now() - t0) / 1000 };
}

/** Runs specs here, one after another. */
export function localExecutor<O, R>(exp: Experiment<O, R>, io: ExperimentIo): RunExecutor {
  return {
    async execute<T>(_table: string, specs: RunSpec[], onOutcome: (spec: RunSpec, outcome: RunOutcome<T>, seconds: number) => Promise<void>, progress?: (running: RunningRun[], fields: Record<string, string | number>) => void) {
      for (const sp of specs) {
        const t = performance.now();
        let outcome: RunOutcome<T>;
        try {
          const result = (await exp.run(sp, {
            progress: (f, fields = {}) => progress?.([{ spec: sp, fraction: Math.max(0, Math.min(1, f)) }], { run: sp.id, ...fields }),
            checkpointDir: io.checkpoints ? join(io.checkpoints, exp.runsFolder ?? exp.table, sp.id.replace(/[^A-Za-z0-9._-]+/g, '_')) : undefined,
            log: (m) => console.error(m),
          })) as unknown as T;
          outcome = { ok: true, result };
        } catch (e) {
          outcome = { ok: false, ...failureOf(e) };
          console.error(`\n${exp.table} run ${sp.id} failed: ${outcome.error}`);
        }
        await onOutcome(sp, outcome, (performance.now() - t) / 1000);
      }
    },
  };
}

function writeJson<R>(path: string, table: string, a: Assembled, specs: RunSpec[], outcomes: Map<string, RunOutcome<R>>, partial: boolean): void {
  mkdirSync(dirname(path), { recursive: true });
  const runs = Object.fromEntries(specs.map((sp) => {
    const o = outcomes.get(sp.id);
    return [sp.id, o ? (o.ok ? { params: sp.params, result: o.result } : { params: sp.params, error: o.error }) : { params: sp.params, pending: true }];
  }));
  const doc = { table, partial, env: runEnvironment(), ...a.meta, notes: a.notes ?? [], rows: a.rows, runs };
  writeFileSync(path + '.tmp', JSON.stringify(doc, null, 2) + '\n');
  renameSync(path + '.tmp', path); // a reader never sees half a file
}
