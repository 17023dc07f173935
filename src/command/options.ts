/**
 * The option layer of every `dfa` command: options declared once in a typed table (type, range,
 * default, help), parsed by Node's own `util.parseArgs` (strict: an unknown or misspelt option is
 * an error; no dependency), every value validated before any work starts, `--help` generated
 * from the same table. Shared options (seeds, epochs, data, out, json, ...) are defined once in
 * shared.ts so they are spelled and checked the same everywhere.
 */
import { parseArgs } from 'node:util';
import { checkInputPath, checkOutputPath, type PathKind } from './paths';

interface Base {
  help: string;
  /** shown in --help after the option name (default from the type: N, X, LIST, DIR, FILE, ...) */
  placeholder?: string;
}
export interface IntOption extends Base { type: 'int'; min?: number; max?: number; default?: number }
export interface NumberOption extends Base { type: 'number'; min?: number; max?: number; /** min is exclusive (e.g. a rate > 0) */ above?: boolean; default?: number }
export interface StringOption extends Base { type: 'string'; default?: string; /** reject the empty string (default true) */ nonEmpty?: boolean }
export interface EnumOption extends Base { type: 'enum'; choices: readonly string[]; default?: string }
export interface ListOption extends Base {
  type: 'list';
  of: 'int' | 'number' | 'string' | 'enum';
  choices?: readonly string[];
  min?: number;
  max?: number;
  above?: boolean;
  default?: readonly (string | number)[];
  /** allow the same value twice (default false) */
  repeats?: boolean;
}
export interface FlagOption extends Base { type: 'flag' }
/** A count N (seeds 0..N-1) or a comma list of seeds. */
export interface SeedsOption extends Base { type: 'seeds'; default?: readonly number[] }
/** A path, checked before the work: inputs exist, outputs can be created and written. */
export interface PathOption extends Base { type: 'path'; kind: PathKind; default?: string }

export type OptionSpec = IntOption | NumberOption | StringOption | EnumOption | ListOption | FlagOption | SeedsOption | PathOption;
export type OptionTable = Record<string, OptionSpec>;

type Scalar<S> = S extends IntOption | NumberOption ? number
  : S extends FlagOption ? boolean
  : S extends SeedsOption ? number[]
  : S extends ListOption ? (S['of'] extends 'int' | 'number' ? number[] : string[])
  : string;
/** Parsed values: options with a default (and flags) are always present. */
export type OptionValues<T extends OptionTable> = {
  -readonly [K in keyof T]: T[K] extends FlagOption ? boolean : T[K] extends { default: unknown } ? Scalar<T[K]> : Scalar<T[K]> | undefined;
};

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const PLACEHOLDER: Record<OptionSpec['type'], string> = { int: 'N', number: 'X', string: 'S', enum: 'NAME', list: 'LIST', flag: '', seeds: 'N|LIST', path: 'PATH' };

/** The `--help` lines of an option table. */
export function optionsHelp(table: OptionTable): string {
  const rows = Object.entries(table).map(([name, s]) => {
    const ph = s.placeholder ?? (s.type === 'enum' ? s.choices.join('|') : s.type === 'path' ? (s.kind.endsWith('dir') ? 'DIR' : 'FILE') : PLACEHOLDER[s.type]);
    const left = `--${name}${ph ? ` ${ph}` : ''}`;
    const def = 'default' in s && s.default !== undefined ? ` (default ${Array.isArray(s.default) ? s.default.join(',') : String(s.default)})` : '';
    return [left, `${s.help}${def}`] as const;
  });
  const w = Math.min(28, Math.max(0, ...rows.map(([l]) => l.length)));
  return rows.map(([l, r]) => `  ${l.padEnd(w)}  ${r}`).join('\n');
}

/**
 * Parse argv against a table: unknown options, missing values, bad numbers, out-of-range values,
 * unknown choices, unusable paths are UsageErrors naming the option and the value.
 */
export function parseOptions<T extends OptionTable>(command: string, table: T, argv: string[], opts: { positionals?: number } = {}): { positionals: string[]; options: OptionValues<T>; given: Set<string> } {
  const config: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const [name, s] of Object.entries(table)) config[name] = { type: s.type === 'flag' ? 'boolean' : 'string' };
  // parseArgs rejects "--lr -1" as ambiguous; a negative number after a value option is its value
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && config[a.slice(2)]?.type === 'string' && next !== undefined && /^-[\d.]/.test(next)) {
      args.push(`${a}=${next}`);
      i++;
    } else args.push(a);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: config, strict: true, allowPositionals: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const m = /'(--[^' ]+)/.exec(err.message);
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${command}: unknown option ${m?.[1] ?? err.message}${suggest(m?.[1]?.slice(2), Object.keys(table), '--')}`);
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = m?.[1]?.replace(/^--/, '').split(' ')[0] ?? '';
      throw new UsageError(table[name]?.type === 'flag' ? `${command}: --${name} is a flag and takes no value` : `${command}: --${name} needs a value`);
    }
    throw new UsageError(`${command}: ${err.message}`);
  }
  const max = opts.positionals ?? 0;
  if (parsed.positionals.length > max) throw new UsageError(`${command}: unexpected argument '${parsed.positionals[max]}'${max ? '' : ' (options start with --)'}`);
  const values: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(table)) {
    const raw = parsed.values[name];
    values[name] = raw === undefined ? defaultOf(s) : convert(command, name, s, raw as string | boolean);
  }
  const given = new Set(Object.keys(table).filter((k) => parsed.values[k] !== undefined));
  return { positionals: parsed.positionals, options: values as OptionValues<T>, given };
}

function defaultOf(s: OptionSpec): unknown {
  if (s.type === 'flag') return false;
  if (!('default' in s) || s.default === undefined) return undefined;
  return Array.isArray(s.default) ? [...s.default] : s.default;
}

function convert(command: string, name: string, s: OptionSpec, raw: string | boolean): unknown {
  const bad = (why: string) => new UsageError(`${command}: --${name} ${why}`);
  if (s.type === 'flag') return raw === true;
  const v = String(raw);
  switch (s.type) {
    case 'int':
    case 'number':
      return number(v, s, bad);
    case 'string':
      if ((s.nonEmpty ?? true) && v.trim() === '') throw bad('needs a non-empty value');
      return v;
    case 'enum':
      if (!s.choices.includes(v)) throw bad(`must be one of ${s.choices.join(', ')}, got '${v}'${suggest(v, s.choices)}`);
      return v;
    case 'seeds':
      return seeds(v, bad);
    case 'path':
      if (v.trim() === '') throw bad('needs a path, got an empty value');
      return v;
    case 'list': {
      const items = v.split(',').map((x) => x.trim());
      if (!items.length || items.some((x) => x === '')) throw bad(`needs a comma-separated list without empty items, got '${v}'`);
      if (!s.repeats) {
        const dup = items.find((x, i) => items.indexOf(x) !== i);
        if (dup !== undefined) throw bad(`lists '${dup}' twice`);
      }
      if (s.of === 'int' || s.of === 'number') return items.map((x) => number(x, { type: s.of as 'int', min: s.min, max: s.max, above: s.above } as IntOption & { above?: boolean }, (why) => bad(`item ${why}`)));
      if (s.of === 'enum') {
        for (const x of items) if (!s.choices!.includes(x)) throw bad(`must list items of ${s.choices!.join(', ')}, got '${x}'${suggest(x, s.choices!)}`);
      }
      return items;
    }
  }
}

function number(v: string, s: { type: 'int' | 'number'; min?: number; max?: number; above?: boolean }, bad: (why: string) => UsageError): number {
  const t = v.trim();
  const n = t === '' ? NaN : Number(t);
  if (!Number.isFinite(n)) throw bad(`must be a number, got '${v}'`);
  if (s.type === 'int' && !Number.isInteger(n)) throw bad(`must be a whole number, got '${v}'`);
  if (s.min !== undefined && (s.above ? !(n > s.min) : n < s.min)) throw bad(`must be ${s.above ? '>' : '>='} ${s.min}, got ${v}`);
  if (s.max !== undefined && n > s.max) throw bad(`must be <= ${s.max}, got ${v}`);
  return n;
}

function seeds(v: string, bad: (why: string) => UsageError): number[] {
  if (v.includes(',')) {
    const xs = v.split(',').map((x) => x.trim());
    const out = xs.map((x) => {
      const n = Number(x);
      if (x === '' || !Number.isInteger(n) || n < 0) throw bad(`must list whole seeds >= 0, got '${x}'`);
      return n;
    });
    const dup = out.find((x, i) => out.indexOf(x) !== i);
    if (dup !== undefined) throw bad(`lists seed ${dup} twice`);
    return out;
  }
  const n = Number(v.trim());
  if (v.trim() === '' || !Number.isInteger(n) || n < 1) throw bad(`must be a count >= 1 (seeds 0..N-1) or a comma list of seeds, got '${v}'`);
  if (n > 1000) throw bad(`asks for ${n} seeds; at most 1000`);
  return Array.from({ length: n }, (_, i) => i);
}

/** Checks every path option (inputs exist, outputs creatable and writable), before any work. */
export function checkPaths<T extends OptionTable>(command: string, table: T, values: OptionValues<T>): void {
  for (const [name, s] of Object.entries(table)) {
    if (s.type !== 'path') continue;
    const v = (values as Record<string, unknown>)[name];
    if (typeof v !== 'string') continue;
    const why = s.kind.startsWith('in') ? checkInputPath(v, s.kind) : checkOutputPath(v, s.kind);
    if (why) throw new UsageError(`${command}: --${name} ${v}: ${why}`);
  }
}

/** ", did you mean --x?" for a near miss. */
function suggest(got: string | undefined, names: readonly string[], prefix = ''): string {
  if (!got) return '';
  let best = '', bestD = Infinity;
  for (const n of names) {
    const d = editDistance(got, n);
    if (d < bestD) [best, bestD] = [n, d];
  }
  return bestD <= Math.max(1, Math.floor(got.length / 3)) ? `; did you mean ${prefix}${best}?` : '';
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}
