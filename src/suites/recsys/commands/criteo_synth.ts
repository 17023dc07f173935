/**
 * `dfa criteo-synth`: writes Criteo-format rows from the known-model synthetic generator
 * (pairwise + higher-order interactions), streamed, for scale tests with `--data FILE`.
 */
import { defineCommand } from '../../../command/command';
import { UsageError, type IntOption, type NumberOption, type PathOption } from '../../../command/options';
import { Progress } from '../../../command/progress';
import { writeSyntheticTsv } from '../data';
import { RECSYS } from '../manifest';

export const CRITEO_SYNTH = defineCommand({
  name: 'criteo-synth',
  summary: RECSYS.commands!['criteo-synth']!.summary,
  description: `Writes N synthetic rows in the Criteo Display Advertising Challenge TSV format (label, I1..I13,
C1..C26) drawn from a known click model with first-order, pairwise (FM) and third-order feature
interactions. Any size streams in constant memory; the same seed gives the same rows.`,
  options: {
    rows: { type: 'int', min: 1, help: 'rows to write (required)' } satisfies IntOption,
    out: { type: 'path', kind: 'out-file', help: 'the TSV file to write (required)' } satisfies PathOption,
    seed: { type: 'int', min: 0, default: 0, help: 'generator seed' } satisfies IntOption,
    'cardinality-scale': { type: 'number', min: 0, above: true, default: 1, help: "multiply the categorical fields' cardinalities" } satisfies NumberOption,
  },
  validate: ({ options: o }) => {
    for (const k of ['rows', 'out'] as const) if (o[k] === undefined) throw new UsageError(`dfa criteo-synth: --${k} is required`);
  },
  run: async ({ options: o }) => {
    const rows = o.rows!, out = o.out!;
    const p = new Progress(rows, 'criteo-synth');
    writeSyntheticTsv(out, rows, { seed: o.seed, cardinalityScale: o['cardinality-scale'] }, (d) => p.update(d));
    console.log(`wrote ${rows} rows to ${out}`);
    return 0;
  },
});
