/**
 * The one option table of every graph table (a run may add the others with --also), checked
 * before any work; experimentCommand adds --runs, --allow-skip, --json and --md.
 */
import type { OptionTable } from '../../../command/options';
import { dataOption, epochsOption, methodsOption, outOption, seedsOption } from '../../../command/shared';
import { PLANETOID_NAMES } from '../data/parse';
import { ARCHS } from '../paper';
import { GRAPH_TABLES } from './tables';

export const GRAPH_OPTIONS = {
  seeds: seedsOption([0, 1, 2, 3, 4]),
  epochs: epochsOption(250, 'training epochs per node-classification run (table3, tableA4, tableA2, fig2; the paper: 250)'),
  datasets: { type: 'list', of: 'enum', choices: PLANETOID_NAMES, default: PLANETOID_NAMES, help: 'datasets (PubMed needs ind.pubmed.allx)' },
  models: { type: 'list', of: 'enum', choices: ARCHS, default: ARCHS, help: 'graph convolutions' },
  methods: methodsOption("training methods of every table in the run (default: the paper's: table3 and table4 bp,dfa; tableA4 shallow; tableA2 dfa; fig2 dfa,bp,shallow)"),
  data: dataOption('a folder holding <dataset>/ with the raw Planetoid files (default: the shared data)'),
  out: outOption('out/fig2', 'where fig2 writes its images'),
  'gae-epochs': { type: 'int', min: 1, max: 1_000_000, help: "table4 epochs (default: the paper's 400, CiteSeer 200)" },
  'tsne-iters': { type: 'int', min: 1, max: 1_000_000, default: 1000, help: 'fig2 t-SNE iterations' },
  also: { type: 'list', of: 'enum', choices: GRAPH_TABLES, help: 'more of these tables in the same run, sharing its runs (table3 --also tableA4,tableA2 trains each DFA cell once for all three)' },
} satisfies OptionTable;
