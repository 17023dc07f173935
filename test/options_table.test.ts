/**
 * Every command's options refused by name before any work (issue 18): for each command of `dfa`
 * and each `dfa reproduce` table, and for each option of its table, bad values by the option's
 * type (negative, zero where the minimum is 1, non-numeric, empty, past the maximum, an unknown
 * choice, a repeated list item, an output under /proc, a missing input, a value for a flag) and an
 * unknown option go through the CLI's main: each must exit 2 with a message naming the option,
 * within milliseconds, without reaching the command's work (its `run` is replaced by a tripwire)
 * and without creating anything in the working folder. `dfa bench`'s benchmarks are included (their
 * tripwired `run` is where the timing and the PyTorch processes would start), and the bench scripts
 * (bench/profile_*.ts, nerf_budget.ts) through their own runner.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../src/command/command';
import type { OptionSpec } from '../src/command/options';
import { allCommands } from '../src/cli/dispatch';
import { main } from '../src/cli/main';
import { reproducibleTables } from '../src/cli/commands/reproduce';
import type { LazyCommand } from '../src/suites/types';
import { runScriptArgs } from '../bench/options';

/** Strings any text is valid for (checked where they are used, not by a grammar). */
const FREE_TEXT = new Set(['generate --prompt', 'playground --host', 'report --host']);
/** Arguments a command needs before its options are checked (a required positional that passes its check). */
const positionals = (fixtures: string): Record<string, string[]> => ({ report: ['.'], generate: [join(fixtures, 'lm')], render: ['.'] });
const MS = 2000;

/** Bad values for an option, by its type and range: [value as typed, what it is]. */
export function badValues(s: OptionSpec): [string, string][] {
  const out: [string, string][] = [];
  const numeric = (t: 'int' | 'number', min: number | undefined, max: number | undefined, above: boolean | undefined, item = '') => {
    out.push([`${item}abc`, 'not a number'], [`${item}NaN`, 'NaN'], [`${item}1e999`, 'infinite']);
    if (t === 'int') out.push([`${item}1.5`, 'not whole']);
    if (min !== undefined) {
      if (min >= 0) out.push([`${item}-1`, 'negative']);
      if (above) out.push([`${item}${min}`, `equal to the exclusive minimum ${min}`]);
      else if (min >= 1) out.push([`${item}0`, 'zero where the minimum is >= 1'], [`${item}${min - 1}`, `below the minimum ${min}`]);
      else if (min < 0) out.push([`${item}${min - 1}`, `below the minimum ${min}`]);
    }
    if (max !== undefined) out.push([`${item}${t === 'int' ? max + 1 : max * 2 + 1}`, `past the maximum ${max}`]);
  };
  switch (s.type) {
    case 'int':
    case 'number':
      out.push(['', 'empty']);
      numeric(s.type, s.min, s.max, s.type === 'number' ? s.above : undefined);
      break;
    case 'string':
      if (s.nonEmpty ?? true) out.push(['', 'empty'], ['   ', 'blank']);
      break;
    case 'enum':
      out.push(['', 'empty'], ['no-such-choice', 'an unknown choice']);
      break;
    case 'seeds':
      out.push(['', 'empty'], ['0', 'zero seeds'], ['-1', 'negative'], ['abc', 'not a number'], ['1.5', 'not whole'], ['1,1', 'a seed twice'], ['0,-2', 'a negative seed'], ['1001', 'too many seeds']);
      break;
    case 'path':
      out.push(['', 'empty']);
      if (s.kind.startsWith('out')) out.push(['/proc/dfa-options-test/out', 'an output under /proc'], [s.kind === 'out-dir' ? 'a-file' : '.', s.kind === 'out-dir' ? 'an existing file for a folder' : 'a folder for a file']);
      else out.push(['/nonexistent/dfa-options-test', 'a missing input']);
      break;
    case 'list': {
      out.push(['', 'empty'], [',', 'empty items']);
      if (s.of === 'int' || s.of === 'number') {
        numeric(s.of, s.min, s.max, s.above);
        const v = s.of === 'int' ? Math.max(s.min ?? 1, 1) : Math.max((s.min ?? 0) + 0.25, 0.25);
        if (!s.repeats) out.push([`${v},${v}`, 'an item twice']);
      } else if (s.of === 'enum') {
        out.push(['no-such-choice', 'an unknown item']);
        if (!s.repeats) out.push([`${s.choices![0]},${s.choices![0]}`, 'an item twice']);
      } else {
        out.push(['x,x', 'an item twice']);
      }
      break;
    }
    case 'flag':
      break;
  }
  return out;
}

class RunReached extends Error {}

/** `dfa bench`, as bin/dfa.mjs adds it. */
const bench: LazyCommand = { summary: 'benchmarks', load: () => import('../bench/command') };

interface Entry {
  argv: string[];
  cmd: Command;
  key: string;
  /** how its command line is run (default: the CLI's main) */
  invoke?: (argv: string[]) => Promise<number>;
}

/** A dispatcher of several commands (`dfa bench`): its subcommands, and scripts run apart. */
interface WithSubcommands {
  subcommands: Record<string, { load(): Promise<Command> }>;
  scripts?: Record<string, { load(): Promise<Command> }>;
}

async function commands(fixtures: string): Promise<{ entries: Entry[]; legacy: string[] }> {
  const POSITIONALS = positionals(fixtures);
  const entries: Entry[] = [];
  const legacy: string[] = [];
  for (const [name, c] of Object.entries(allCommands({ bench }))) {
    if (name === 'reproduce') continue; // the dispatcher of the tables below
    const m = await c.load();
    if ('options' in m) entries.push({ argv: [name, ...(POSITIONALS[name] ?? [])], cmd: m, key: name });
    else if ('subcommands' in m) {
      const d = m as unknown as WithSubcommands;
      for (const [sub, s] of Object.entries(d.subcommands)) entries.push({ argv: [name, sub], cmd: await s.load(), key: `${name} ${sub}` });
      for (const [file, s] of Object.entries(d.scripts ?? {})) {
        const cmd = await s.load();
        entries.push({ argv: [], cmd, key: file, invoke: (argv) => runScriptArgs(cmd, argv) });
      }
    } else legacy.push(name);
  }
  for (const [name, c] of reproducibleTables()) {
    const m = await c.load();
    if ('options' in m) entries.push({ argv: ['reproduce', name], cmd: m, key: `reproduce ${name}` });
    else legacy.push(`reproduce ${name}`);
  }
  return { entries, legacy };
}

/** Runs main(argv) with stderr/stdout captured: exit code, what it printed, milliseconds. */
async function runMain(argv: string[], invoke: (argv: string[]) => Promise<number> = (a) => main(a, { bench })): Promise<{ rc: number; err: string; ms: number }> {
  const err: string[] = [];
  const saved = { error: console.error, log: console.log, warn: console.warn };
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  console.log = () => {};
  console.warn = () => {};
  const t0 = performance.now();
  try {
    const rc = await invoke(argv);
    return { rc, err: err.join('\n'), ms: performance.now() - t0 };
  } finally {
    Object.assign(console, saved);
  }
}

test('every command and table refuses each bad option value by name (exit 2), before any work', async (t) => {
  const fileDir = mkdtempSync(join(tmpdir(), 'dfa-options-file-'));
  writeFileSync(join(fileDir, 'a-file'), 'x');
  mkdirSync(join(fileDir, 'lm'));
  for (const f of ['checkpoint.json', 'tokenizer.json']) writeFileSync(join(fileDir, 'lm', f), '{}'); // what generate's check looks for
  const { entries, legacy } = await commands(fileDir);
  if (legacy.length) t.diagnostic(`skipped, still parsing their own arguments (converted by the lead): ${legacy.join(', ')}`);
  assert.ok(entries.length >= 15, `only ${entries.length} commands with an option table`);
  const cwd = process.cwd();
  const work = mkdtempSync(join(tmpdir(), 'dfa-options-'));
  const runs = new Map<Command, Command['run']>();
  for (const e of entries) {
    runs.set(e.cmd, e.cmd.run);
    e.cmd.run = async () => {
      throw new RunReached(`${e.key}: the command's work started`);
    };
  }
  const problems: string[] = [];
  let cases = 0;
  let slowest = 0;
  try {
    process.chdir(work);
    for (const e of entries) {
      const tries: [string[], string, string][] = [[['--no-such-option', '1'], 'no-such-option', 'an unknown option']];
      for (const [name, s] of Object.entries(e.cmd.options)) {
        if (s.type === 'flag') tries.push([[`--${name}=yes`], name, 'a value for a flag']);
        for (const [v, what] of badValues(s)) tries.push([[`--${name}`, v === 'a-file' ? join(fileDir, 'a-file') : v], name, what]);
        if ((s.type === 'string' || (s.type === 'list' && s.of === 'string')) && !FREE_TEXT.has(`${e.key} --${name}`)) tries.push([[`--${name}`, '@@bad@@'], name, 'a value of no meaning']);
      }
      for (const [args, name, what] of tries) {
        cases++;
        const r = await runMain([...e.argv, ...args], e.invoke);
        const where = `${e.invoke ? e.key : `dfa ${e.argv.join(' ')}`} ${args.map((a) => JSON.stringify(a)).join(' ')} (${what})`;
        if (r.rc !== 2) problems.push(`${where}: exit ${r.rc}, not 2: ${r.err.split('\n')[0]}`);
        else if (!r.err.includes(`--${name}`)) problems.push(`${where}: the message does not name --${name}: ${r.err.split('\n')[0]}`);
        slowest = Math.max(slowest, r.ms);
        if (r.ms > MS) problems.push(`${where}: took ${Math.round(r.ms)} ms`);
        const left = readdirSync(work);
        if (left.length) {
          problems.push(`${where}: left ${left.join(', ')} behind`);
          for (const f of left) rmSync(join(work, f), { recursive: true, force: true });
        }
      }
    }
  } finally {
    process.chdir(cwd);
    for (const [c, run] of runs) c.run = run;
    rmSync(work, { recursive: true, force: true });
    rmSync(fileDir, { recursive: true, force: true });
  }
  t.diagnostic(`${entries.length} commands, ${cases} bad command lines, ${problems.length} let through (slowest refusal ${Math.round(slowest)} ms)`);
  assert.deepEqual(problems, []);
});
