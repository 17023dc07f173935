/**
 * `dfa reproduce <table>`: runs the experiments behind one of the paper's tables or figures and
 * prints our numbers beside the paper's. Each suite registers its tables in src/experiments/.
 */
import { REPRODUCIBLE } from '../../experiments/registry';

export const help = `usage: dfa reproduce <table> [options]

tables:
${Object.entries(REPRODUCIBLE).map(([k, v]) => `  ${k.padEnd(10)} ${v.summary}`).join('\n')}

'dfa reproduce <table> --help' lists that table's options (seeds, budget, --json FILE, --md FILE).`;

export const handlesHelp = true;

export async function run(argv: string[]): Promise<number> {
  const [table, ...rest] = argv;
  if (!table) {
    console.log(help);
    return 1;
  }
  const entry = REPRODUCIBLE[table];
  if (!entry) {
    console.error(`dfa reproduce: unknown table '${table}'. Known: ${Object.keys(REPRODUCIBLE).join(', ')}`);
    return 2;
  }
  const mod = await entry.load();
  return (await mod.run(table, rest)) ?? 0;
}
