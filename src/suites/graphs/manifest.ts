/** The graphs wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { Suite } from '../types';

export const GRAPHS: Suite = {
  name: 'graphs',
  summary: 'graph convolutions (GCN, Cheb, Spline, GAT, DNA) and the graph auto-encoder on Planetoid Cora / CiteSeer / PubMed',
  tables: {
    table3: { summary: 'graph convolutions (Cheb, GCN, Spline, GAT) on Cora/CiteSeer/PubMed: BP and DFA accuracy', load: () => import('./tables/reproduce') },
    table4: { summary: 'graph auto-encoder (GCN encoder) link prediction AUC/AP, BP and DFA', load: () => import('./tables/reproduce') },
    tableA2: { summary: 'DFA alignment of the graph convolutions on Cora', load: () => import('./tables/reproduce') },
    tableA4: { summary: 'shallow baselines of the graph convolutions', load: () => import('./tables/reproduce') },
    fig2: { summary: "t-SNE of a two-layer GCN's hidden layer on Cora: DFA, BP, shallow (PNG + SVG)", load: () => import('./tables/reproduce') },
    graphs: { summary: 'the whole graph suite: table3 + tableA4 + tableA2 + table4 + fig2', load: () => import('./tables/reproduce') },
  },
};
