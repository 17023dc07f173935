/**
 * `dfa reproduce <table>`: runs the experiments behind one of the paper's tables or figures and
 * prints our numbers beside the paper's. The tables come from the suites' manifests, and from the
 * applications that combine the wings (the zoo, src/zoo).
 */
import { reproducibleTables as suiteTables } from '../../suites';
import type { LazyCommand } from '../../suites/types';
import { runLoaded } from '../dispatch';
import { PAPER_SUMMARY } from '../../report/summary';

/** Tables beyond the paper that combine several wings (so belong to none), each loaded only when called. */
const APPLICATION_TABLES: Record<string, LazyCommand> = {
  zoo: {
    summary: 'every method and DFA projection on an MLP, a GCN, Tiny-NeRF, a Transformer and a CNN: metric, alignment, step time ×BP',
    load: () => import('../../zoo/experiment').then((m) => m.ZOO_COMMAND),
  },
};

/** The paper's tables (the suites' manifests) and the applications' (the zoo): what `dfa reproduce` and `dfa worker` find. */
export function reproducibleTables(): Map<string, LazyCommand & { suite: string }> {
  const out = suiteTables();
  for (const [name, t] of Object.entries(APPLICATION_TABLES)) out.set(name, { ...t, suite: 'beyond the paper' });
  return out;
}

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
