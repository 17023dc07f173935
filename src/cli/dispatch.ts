/** Runs one `dfa` command line (without the leading `dfa`) and returns its exit code. */
import { runCommand, type Command } from '../command/command';
import { SUITES } from '../suites';
import type { LazyCommand, LegacyCommand, LegacyTables } from '../suites/types';
import { CORE_COMMANDS } from './commands';

/** Core commands, then each suite's, then the extras the caller adds (the bin adds `bench`). */
export function allCommands(extra: Record<string, LazyCommand> = {}): Record<string, LazyCommand> {
  const out: Record<string, LazyCommand> = { ...CORE_COMMANDS };
  for (const s of SUITES) Object.assign(out, s.commands ?? {});
  return { ...out, ...extra };
}

export function usage(extra: Record<string, LazyCommand> = {}): string {
  const rows = Object.entries(allCommands(extra)).map(([n, c]) => `  ${n.padEnd(12)} ${c.summary}`);
  return `usage: dfa <command> [options]\n\ncommands:\n${rows.join('\n')}\n\n'dfa <command> --help' for a command's options.`;
}

/** Run a loaded command: an option-table Command, or a legacy module (table: the reproduce target it serves). */
export async function runLoaded(mod: Command | LegacyCommand | LegacyTables, argv: string[], table?: string): Promise<number> {
  if ('options' in mod) return runCommand(mod, argv);
  if (table !== undefined) return ((await (mod as LegacyTables).run(table, argv)) ?? 0) as number;
  const legacy = mod as LegacyCommand & { handlesHelp?: boolean };
  if (!legacy.handlesHelp && (argv.includes('--help') || argv.includes('-h'))) {
    console.log(legacy.help);
    return 0;
  }
  return ((await legacy.run(argv)) ?? 0) as number;
}

export async function dispatch(argv: string[], extra: Record<string, LazyCommand> = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage(extra));
    return name ? 0 : 1;
  }
  const cmd = allCommands(extra)[name];
  if (!cmd) {
    console.error(`dfa: unknown command '${name}'\n\n${usage(extra)}`);
    return 2;
  }
  return runLoaded(await cmd.load(), rest);
}
