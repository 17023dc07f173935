/**
 * The graph wing's `dfa reproduce` tables as Commands: each an Experiment (experiment.ts) produced
 * by `experimentCommand` (runs stored and reused with --runs, failed runs in the notes and exit 3
 * unless --allow-skip, the table written as runs finish).
 */
import { experimentCommand } from '../../../command/experiment_command';
import { initBackend } from '../../../engine/backend';
import { graphExperiment, graphSettings } from './experiment';
import { GRAPH_OPTIONS } from './options';
import { GRAPH_TABLES, methodsOf, type GraphTable } from './tables';

const SUMMARY: Record<GraphTable, string> = {
  table3: 'node classification accuracy, BP and DFA (ChebConv, GraphConv, SplineConv, GATConv, DNAConv)',
  tableA4: 'the shallow baseline of the same models',
  tableA2: 'alignment (cosine of DFA signal and BP gradient at the hidden layer), Cora',
  table4: 'graph auto-encoder (GCN encoder), link prediction AUC / AP, BP and DFA',
  fig2: "t-SNE of the two-layer GCN's hidden activations on Cora, DFA / BP / shallow (PNG + SVG)",
  graphs: 'all of the above',
};

const DESCRIPTION = "The graph suite (section 3.2, appendices A-C): ours beside the paper's values, one row per cell. " +
  'Every graph table takes the same options (--also adds the others to the run): --gae-epochs is for table4, --out and --tsne-iters for fig2. ' +
  "--methods runs the same cells with any training methods (e.g. bp,dfa,usf,frsf,drtp); the paper's column shows '—' where it has no value. " +
  'Methods the paper has no settings for train with the DFA settings (appendix B\'s rule for shallow); drtp is undefined for table4 (no class target). ' +
  'Runs are independent (one per dataset, model, method and seed); --runs DIR keeps each one and a later sitting (any graph table) reuses it.';

function graphTable(table: GraphTable) {
  return experimentCommand(graphExperiment(table), {
    name: `reproduce ${table}`,
    summary: SUMMARY[table],
    description: DESCRIPTION,
    options: GRAPH_OPTIONS,
    async setup(o) {
      const backend = await initBackend();
      const s = graphSettings(table, o);
      const node = s.parts.some((p) => p !== 'table4');
      const methods = s.parts.map((p) => `${p} ${methodsOf(p, s.methods).join(',')}`).join('; ');
      console.log(`dfa reproduce ${table}: backend ${backend.name}, seeds ${s.seeds.join(',')}, datasets ${s.datasets.join(',')}` +
        (node ? `, ${s.epochs} epochs, models ${s.models.join(',')}` : '') + (s.parts.includes('table4') ? `, GAE epochs ${s.gaeEpochs ?? '400 (CiteSeer 200)'}` : '') + `; methods: ${methods}`);
    },
  });
}

export const GRAPH_COMMANDS = Object.fromEntries(GRAPH_TABLES.map((t) => [t, graphTable(t)])) as Record<GraphTable, ReturnType<typeof graphTable>>;
