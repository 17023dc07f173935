/** Entry point of the `dfa` command: dispatches to a sub-command in commands/. */
import { COMMANDS } from './commands';

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(12)} ${c.summary}`);
  return `usage: dfa <command> [options]\n\ncommands:\n${rows.join('\n')}\n\n'dfa <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
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

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  const err = e as Error;
  console.error(`dfa: ${err.message}`);
  if (process.env.DFA_DEBUG) console.error(err.stack);
  process.exitCode = 1;
}
