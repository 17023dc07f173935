/**
 * `dfa criteo-synth`: writes Criteo-format rows from the known-model synthetic generator
 * (pairwise + higher-order interactions), streamed, for scale tests with `--data FILE`.
 */
import { Options, parseArgs } from '../../../cli/args';
import { Progress } from '../../../command/progress';
import { writeSyntheticTsv } from '../data';

export const help = `usage: dfa criteo-synth --rows N --out FILE [--seed S] [--cardinality-scale X]

Writes N synthetic rows in the Criteo Display Advertising Challenge TSV format (label, I1..I13,
C1..C26) drawn from a known click model with first-order, pairwise (FM) and third-order feature
interactions. Any size streams in constant memory; the same seed gives the same rows.`;

export async function run(argv: string[]): Promise<number> {
  const { options } = parseArgs(argv);
  if (options.help) {
    console.log(help);
    return 0;
  }
  const o = new Options(options, 'dfa criteo-synth');
  const rows = o.int('rows');
  const out = o.str('out');
  const seed = o.int('seed', 0);
  const cardinalityScale = o.num('cardinality-scale', 1);
  o.done();
  if (!rows || rows < 1 || !out) {
    console.error(help);
    return 2;
  }
  const p = new Progress(rows, 'criteo-synth');
  writeSyntheticTsv(out, rows, { seed, cardinalityScale }, (d) => p.update(d));
  console.log(`wrote ${rows} rows to ${out}`);
  return 0;
}
