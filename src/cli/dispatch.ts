/** Runs one `dfa` command line (without the leading `dfa`) and returns its exit code. */
import { COMMANDS } from './commands';

export function usage(): string {
  const rows = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(12)} ${c.summary}`);
  return `usage: dfa <command> [options]\n\ncommands:\n${rows.join('\n')}\n\n'dfa <command> --help' for a command's options.`;
}

export async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    console.error(`dfa: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  const mod = await cmd.load();
  // `dfa reproduce table3 --help` is the table's own help: commands with sub-targets handle it.
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  if (wantsHelp && !(mod.handlesHelp && rest[0] && !rest[0].startsWith('-'))) {
    console.log(mod.help);
    return 0;
  }
  const rc = await mod.run(rest);
  return typeof rc === 'number' ? rc : 0;
}
