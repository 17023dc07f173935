/** The graphs wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { LazyCommand, Suite, SuiteReport } from '../types';

const table = (name: 'table3' | 'table4' | 'tableA2' | 'tableA4' | 'fig2' | 'graphs', summary: string): LazyCommand => ({
  summary,
  load: async () => (await import('./tables/commands')).GRAPH_COMMANDS[name],
});

/**
 * The graph tables for the reproduction report: one budget for all five (they share their runs:
 * the same seeds and epochs), and the parts of the paper they make.
 */
const GRAPH_BUDGETS = {
  tiny: { args: ['--seeds', '1', '--epochs', '2', '--models', 'gcn', '--datasets', 'cora,pubmed', '--gae-epochs', '2', '--tsne-iters', '10'], leaves: 'a pipeline check: 2 epochs, GraphConv on Cora (PubMed: its stated reason)' },
  quick: {
    args: ['--seeds', '2', '--models', 'cheb,gcn,spline,gat', '--tsne-iters', '500'],
    leaves: 'DNAConv is left to the standard budget (~5-10 min a run here; its rows come from standard runs stored in --from, as far as they go); 2 seeds; t-SNE 500 iterations',
  },
  standard: { args: ['--seeds', '5'], leaves: 'every model, 5 seeds, the paper\'s 250 epochs (GAE 400, CiteSeer 200), t-SNE 1000 iterations' },
} as const;

const review = (part: keyof typeof import('./review').GRAPH_REVIEWS) => async () => (await import('./review')).GRAPH_REVIEWS[part];

const GRAPH_REPORT: SuiteReport = {
  budgets: { table3: GRAPH_BUDGETS, tableA4: GRAPH_BUDGETS, tableA2: GRAPH_BUDGETS, table4: GRAPH_BUDGETS, fig2: GRAPH_BUDGETS },
  parts: [
    { id: 'Table 3', title: 'graph convolutions on citation networks: test accuracy (%), BP and DFA', sources: [{ table: 'table3' }], review: review('table3') },
    { id: 'Table 4', title: 'graph auto-encoder link prediction: AUC and AP, BP and DFA', sources: [{ table: 'table4' }], review: review('table4') },
    { id: 'Table A.2', title: 'alignment of the graph convolutions on Cora (DFA)', sources: [{ table: 'tableA2' }], review: review('tableA2') },
    { id: 'Table A.4', title: 'shallow baseline of the graph convolutions: test accuracy (%)', sources: [{ table: 'tableA4' }], review: review('tableA4') },
    { id: 'Fig. 2', title: "t-SNE of a two-layer GraphConv's hidden layer on Cora: DFA, BP, shallow", sources: [{ table: 'fig2' }], review: review('fig2') },
  ],
};

export const GRAPHS: Suite = {
  name: 'graphs',
  summary: 'graph convolutions (GCN, Cheb, Spline, GAT, DNA) and the graph auto-encoder on Planetoid Cora / CiteSeer / PubMed',
  tables: {
    table3: table('table3', 'graph convolutions (Cheb, GCN, Spline, GAT) on Cora/CiteSeer/PubMed: BP and DFA accuracy'),
    table4: table('table4', 'graph auto-encoder (GCN encoder) link prediction AUC/AP, BP and DFA'),
    tableA2: table('tableA2', 'DFA alignment of the graph convolutions on Cora'),
    tableA4: table('tableA4', 'shallow baselines of the graph convolutions'),
    fig2: table('fig2', "t-SNE of a two-layer GCN's hidden layer on Cora: DFA, BP, shallow (PNG + SVG)"),
    graphs: table('graphs', 'the whole graph suite: table3 + tableA4 + tableA2 + table4 + fig2'),
  },
  report: GRAPH_REPORT,
};
