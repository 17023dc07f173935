/**
 * `dfa reproduce <table>`: runs the experiments behind one of the paper's tables or figures and
 * prints our numbers beside the paper's. The tables come from the suites' manifests.
 */
import { reproducibleTables } from '../../suites';
import { runLoaded } from '../dispatch';
import { PAPER_SUMMARY } from '../../report/summary';

export function tablesHelp(): string {
  return `usage: dfa reproduce <table> [options]

tables:
${[...reproducibleTables()].map(([k, v]) => `  ${k.padEnd(12)} ${v.summary} [${v.suite}]`).join('\n')}
  ${'paper'.padEnd(12)} ${PAPER_SUMMARY}

'dfa reproduce <table> --help' lists that table's options (seeds, budget, --json FILE, --md FILE).`;
}

export const help = tablesHelp();
export const handlesHelp = true;

export async function run(argv: string[]): Promise<number> {
  const [table, ...rest] = argv;
  if (!table || table === '--help' || table === '-h') {
    console.log(tablesHelp());
    return table ? 0 : 1;
  }
  if (table === 'paper') return runLoaded((await import('../../report/command')).PAPER_COMMAND, rest);
  const entry = reproducibleTables().get(table);
  if (!entry) {
    console.error(`dfa reproduce: unknown table '${table}'. Known: ${[...reproducibleTables().keys(), 'paper'].join(', ')}`);
    return 2;
  }
  return runLoaded(await entry.load(), rest, table);
}
