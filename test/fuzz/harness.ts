/**
 * The fuzz property of a loader: a valid input with one of its files mutated either loads (and
 * the loaded data keeps the loader's invariants) or fails with an error that names the mutated
 * file and the problem, never a bare TypeError / RangeError / SyntaxError, never a JS internal
 * message, within a bounded time and memory. Run by worker.ts in a child process (so a case that
 * hangs or crashes is stopped and named from outside); fuzz.test.ts prints the counts.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { byteMutations, jsonOrByteMutations, type Mutation } from './mutate';

/** Files of one input, by path relative to the case's folder. */
export type FileSet = Record<string, Uint8Array>;

export interface FuzzTarget<R = unknown> {
  name: string;
  /** valid inputs; each must load as it is (checked before the cases) */
  seeds: FileSet[];
  /** which files of a seed the cases mutate (default: every file) */
  mutable?: string[];
  /** the edits of a file (default: structural + byte edits for .json, byte edits otherwise) */
  mutation?(file: string): fc.Arbitrary<Mutation>;
  /** after a case's files are written (e.g. links to shared images) */
  prepare?(dir: string): void;
  /** load the input from the case's folder */
  load(dir: string): R | Promise<R>;
  /** invariants of loaded data (throws when one fails: a damaged input loaded silently) */
  check?(r: R, dir: string): void;
}

export interface FuzzCounts {
  target: string;
  cases: number;
  loaded: number;
  refused: number;
  unnamed: number;
  slowestMs: number;
  seed: number;
}

/** Per-case limits: a slower case fails the property (the worker's watchdog stops a real hang). */
export const CASE_MS = Number(process.env.DFA_FUZZ_CASE_MS ?? 5000);
const RSS_LIMIT = 3 * 1024 ** 3;

const RAW_ERRORS = [TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError];
/** Messages of JS internals: a loader that lets these through has not checked its input. */
const INTERNAL = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|Invalid typed array length|Invalid array length|Array buffer allocation failed|Maximum call stack|out of range\. It must be|undefined \(reading|Cannot convert|Do not know how to serialize/;

/** Why `e` is not an error naming `file` and the problem, or null when it is one. */
export function unnamedBecause(e: unknown, file: string): string | null {
  if (!(e instanceof Error)) return `threw a non-Error: ${String(e)}`;
  if (RAW_ERRORS.some((C) => e.constructor === C)) return `raw ${e.constructor.name}: ${e.message}`;
  if (!e.message.includes(basename(file))) return `the error does not name ${basename(file)}: ${e.message}`;
  if (INTERNAL.test(e.message)) return `a JS internal error leaked through: ${e.message}`;
  if (e.message.replace(file, '').replace(basename(file), '').trim().length < 8) return `the error names no problem: ${e.message}`;
  return null;
}

function writeCase(dir: string, files: FileSet): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [rel, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), bytes);
  }
}

const isJson = (f: string) => f.endsWith('.json');

export interface RunOptions {
  runs: number;
  seed: number;
  /** called before each case (the worker tells its watchdog) */
  onCase?(i: number, what: string): void;
}

/** Runs the property `runs` times; throws (with fast-check's shrunk counterexample) when it fails. */
export async function fuzzTarget<R>(t: FuzzTarget<R>, work: string, opts: RunOptions): Promise<FuzzCounts> {
  const counts: FuzzCounts = { target: t.name, cases: 0, loaded: 0, refused: 0, unnamed: 0, slowestMs: 0, seed: opts.seed };
  const dir = join(work, 'case');
  // the seeds are valid: each loads and keeps the invariants
  for (const [k, s] of t.seeds.entries()) {
    writeCase(dir, s);
    t.prepare?.(dir);
    try {
      const r = await t.load(dir);
      t.check?.(r, dir);
    } catch (e) {
      throw new Error(`${t.name}: valid seed ${k} (${Object.keys(s).join(', ')}) does not load: ${(e as Error).stack}`);
    }
  }
  const caseArb = fc.nat({ max: t.seeds.length - 1 }).chain((s) => {
    const files = t.mutable?.filter((f) => f in t.seeds[s]!) ?? Object.keys(t.seeds[s]!);
    return fc.constantFrom(...files).chain((file) =>
      (t.mutation?.(file) ?? (isJson(file) ? jsonOrByteMutations : byteMutations)).map((m) => ({ s, file, m })));
  });
  let failed = false;
  let i = 0;
  await fc.assert(
    fc.asyncProperty(caseArb, async ({ s, file, m }) => {
      const what = `seed ${s}, ${file}: ${m.desc}`;
      opts.onCase?.(i++, what);
      const files = { ...t.seeds[s]!, [file]: m.apply(t.seeds[s]![file]!) };
      writeCase(dir, files);
      t.prepare?.(dir);
      const t0 = performance.now();
      let outcome: 'loaded' | 'refused';
      let why: string | null = null;
      try {
        const r = await t.load(dir);
        try {
          t.check?.(r, dir);
        } catch (e) {
          why = `loaded without an error, but the data is damaged: ${(e as Error).message}`;
        }
        outcome = 'loaded';
      } catch (e) {
        why = unnamedBecause(e, join(dir, file));
        outcome = 'refused';
      }
      const ms = performance.now() - t0;
      if (!why && ms > CASE_MS) why = `took ${Math.round(ms)} ms (limit ${CASE_MS} ms)`;
      const rss = process.memoryUsage().rss;
      if (!why && rss > RSS_LIMIT) why = `the process grew to ${Math.round(rss / 2 ** 20)} MiB`;
      if (!failed) {
        counts.cases++;
        counts.slowestMs = Math.max(counts.slowestMs, ms);
        if (why) counts.unnamed++;
        else counts[outcome]++;
      }
      if (why) {
        failed = true;
        throw new Error(`${t.name} (${what}): ${why}`);
      }
    }),
    { numRuns: opts.runs, seed: opts.seed, endOnFailure: false, includeErrorInReport: true },
  );
  rmSync(dir, { recursive: true, force: true });
  return counts;
}
