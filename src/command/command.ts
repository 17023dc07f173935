/**
 * A `dfa` command (a top-level command such as `train`, or a `dfa reproduce` table): its options
 * table, positional arguments and the function that does the work. The CLI (src/cli) only finds
 * commands and calls runCommand; suites declare theirs in their manifest (src/suites).
 */
import { checkPaths, optionsHelp, parseOptions, UsageError, type OptionTable, type OptionValues } from './options';

export interface Positional {
  name: string;
  help: string;
  required?: boolean;
  choices?: readonly string[];
  /** the last positional may take several values */
  variadic?: boolean;
}

export interface Command<T extends OptionTable = OptionTable> {
  /** e.g. 'train', 'reproduce table3' (as the user types it after `dfa`) */
  name: string;
  /** how the user starts it, where that is not `dfa <name>` (a script: 'node --import tsx bench/profile_cnn.ts') */
  invocation?: string;
  summary: string;
  /** paragraphs printed between the usage line and the options */
  description?: string;
  positionals?: Positional[];
  options: T;
  /** cross-option checks (e.g. two options that exclude each other), run before the work; `given`: the options on the command line */
  validate?(args: { positionals: string[]; options: OptionValues<T>; given: Set<string> }): void;
  run(args: { positionals: string[]; options: OptionValues<T> }): Promise<number | void>;
}

/** Typed identity: lets TypeScript infer the option values from the table. */
export function defineCommand<T extends OptionTable>(c: Command<T>): Command<T> {
  return c;
}

/** A command's --help, generated from its table. */
export function commandHelp(c: Command): string {
  const prog = invocation(c);
  const pos = (c.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`) + (p.variadic ? '...' : '')).join(' ');
  const parts = [`usage: ${prog}${pos ? ` ${pos}` : ''} [options]`, '', c.summary];
  if (c.description) parts.push('', c.description.trim());
  if (c.positionals?.length) {
    parts.push('', 'arguments:');
    for (const p of c.positionals) parts.push(`  ${p.name.padEnd(12)} ${p.help}${p.choices ? ` (${p.choices.join(' | ')})` : ''}`);
  }
  const opts = optionsHelp(c.options);
  if (opts) parts.push('', 'options:', opts);
  parts.push('  --help', '');
  return parts.join('\n');
}

/** What the user typed to start it: the prefix of its usage line and its error messages. */
export function invocation(c: Command): string {
  return c.invocation ?? `dfa ${c.name}`;
}

/** Parse and check every argument (before any work), then run. Bad input throws a UsageError. */
export async function runCommand(c: Command, argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(commandHelp(c));
    return 0;
  }
  const prog = invocation(c);
  const pos = c.positionals ?? [];
  const many = pos[pos.length - 1]?.variadic ? Infinity : pos.length;
  const { positionals, options, given } = parseOptions(prog, c.options, argv, { positionals: many });
  pos.forEach((p, i) => {
    const v = positionals[i];
    if (p.variadic && p.choices) for (const x of positionals.slice(i)) if (!p.choices.includes(x)) throw new UsageError(`${prog}: unknown ${p.name} '${x}'; expected one of ${p.choices.join(', ')}`);
    if (v === undefined && p.required) throw new UsageError(`${prog}: missing <${p.name}> (${p.help})`);
    if (v !== undefined && p.choices && !p.choices.includes(v)) throw new UsageError(`${prog}: unknown ${p.name} '${v}'; expected one of ${p.choices.join(', ')}`);
  });
  checkPaths(prog, c.options, options);
  c.validate?.({ positionals, options, given });
  const rc = await c.run({ positionals, options });
  return typeof rc === 'number' ? rc : 0;
}
