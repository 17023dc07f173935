/** The graphs wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { LazyCommand, Suite } from '../types';

const table = (name: 'table3' | 'table4' | 'tableA2' | 'tableA4' | 'fig2' | 'graphs', summary: string): LazyCommand => ({
  summary,
  load: async () => (await import('./tables/commands')).GRAPH_COMMANDS[name],
});

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
};
