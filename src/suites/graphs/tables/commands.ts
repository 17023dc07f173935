/**
 * The graph wing's `dfa reproduce` tables as Commands of the option layer: one option table for
 * all of them (a run may add the others with --also), checked before any work.
 */
import { defineCommand, type Command } from '../../../command/command';
import type { OptionTable } from '../../../command/options';
import { dataOption, epochsOption, outOption, RESULT_FILES, seedsOption } from '../../../command/shared';
import { PLANETOID_NAMES, type PlanetoidName } from '../data/parse';
import { ARCHS, type Arch } from '../paper';
import { GRAPH_TABLES, reproduceGraphs, type GraphTable } from './reproduce';

export const GRAPH_OPTIONS = {
  seeds: seedsOption([0, 1, 2, 3, 4]),
  epochs: epochsOption(250, 'training epochs per node-classification run (table3, tableA4, tableA2, fig2; the paper: 250)'),
  datasets: { type: 'list', of: 'enum', choices: PLANETOID_NAMES, default: PLANETOID_NAMES, help: 'datasets (PubMed needs ind.pubmed.allx)' },
  models: { type: 'list', of: 'enum', choices: ARCHS, default: ARCHS, help: 'graph convolutions' },
  data: dataOption('a folder holding <dataset>/ with the raw Planetoid files (default: the shared data)'),
  out: outOption('out/fig2', 'where fig2 writes its images'),
  'gae-epochs': { type: 'int', min: 1, max: 1_000_000, help: "table4 epochs (default: the paper's 400, CiteSeer 200)" },
  'tsne-iters': { type: 'int', min: 1, max: 1_000_000, default: 1000, help: 'fig2 t-SNE iterations' },
  also: { type: 'list', of: 'enum', choices: GRAPH_TABLES, help: 'more of these tables in the same run, sharing its cells (table3 --also tableA4,tableA2 trains each DFA cell once for all three)' },
  ...RESULT_FILES,
} satisfies OptionTable;

const SUMMARY: Record<GraphTable, string> = {
  table3: 'node classification accuracy, BP and DFA (ChebConv, GraphConv, SplineConv, GATConv, DNAConv)',
  tableA4: 'the shallow baseline of the same models',
  tableA2: 'alignment (cosine of DFA signal and BP gradient at the hidden layer), Cora',
  table4: 'graph auto-encoder (GCN encoder), link prediction AUC / AP, BP and DFA',
  fig2: "t-SNE of the two-layer GCN's hidden activations on Cora, DFA / BP / shallow (PNG + SVG)",
  graphs: 'all of the above',
};

function graphTable(table: GraphTable): Command<typeof GRAPH_OPTIONS> {
  return defineCommand({
    name: `reproduce ${table}`,
    summary: SUMMARY[table],
    description: "The graph suite (section 3.2, appendices A-C): ours beside the paper's values, one row per cell. " +
      'Every graph table takes the same options (--also adds the others to the run): --gae-epochs is for table4, --out and --tsne-iters for fig2.',
    options: GRAPH_OPTIONS,
    run: ({ options: o }) =>
      reproduceGraphs(table, {
        seeds: o.seeds, epochs: o.epochs, datasets: o.datasets as PlanetoidName[], models: o.models as Arch[], dataDir: o.data, outDir: o.out,
        gaeEpochs: o['gae-epochs'], tsneIters: o['tsne-iters'], also: (o.also ?? []) as GraphTable[], json: o.json, md: o.md,
      }),
  });
}

export const GRAPH_COMMANDS = Object.fromEntries(GRAPH_TABLES.map((t) => [t, graphTable(t)])) as Record<GraphTable, Command<typeof GRAPH_OPTIONS>>;
