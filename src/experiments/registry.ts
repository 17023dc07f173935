/**
 * Tables and figures `dfa reproduce` knows. Each suite adds its own entries; a module exports
 * `run(table: string, argv: string[]): Promise<number | void>` and prints/writes per results.ts.
 */
export interface ReproduceModule {
  run(table: string, argv: string[]): Promise<number | void>;
}

export const REPRODUCIBLE: Record<string, { summary: string; load: () => Promise<ReproduceModule> }> = {
  table2: { summary: 'recommender systems on Criteo: FM, DeepFM, Deep&Cross, AFN with BP and DFA (AUC, log loss)', load: () => import('./recsys/reproduce') },
  tableA1: { summary: 'DFA alignment in Deep&Cross cross layers and AFN logarithmic layer (Criteo)', load: () => import('./recsys/reproduce') },
  tableA3: { summary: 'shallow baselines of DeepFM, Deep&Cross, AFN (Criteo)', load: () => import('./recsys/reproduce') },
  recsys: { summary: 'the whole recommender suite: table2 + tableA1 + tableA3 from the same runs', load: () => import('./recsys/reproduce') },
  'recsys-synth': { summary: 'DeepFM and AFN (BP, DFA, shallow) + Deep&Cross DFA alignment on 2M synthetic Criteo rows', load: () => import('./recsys/reproduce') },
  table5: { summary: 'Transformer LM perplexity: BP, DFA macro/micro under the Table 5 optimizer grid, shallow (Tiny Shakespeare, BPE)', load: () => import('./transformer/reproduce') },
  table3: { summary: 'graph convolutions (Cheb, GCN, Spline, GAT) on Cora/CiteSeer/PubMed: BP and DFA accuracy', load: () => import('./graphs/reproduce') },
  table4: { summary: 'graph auto-encoder (GCN encoder) link prediction AUC/AP, BP and DFA', load: () => import('./graphs/reproduce') },
  tableA2: { summary: 'DFA alignment of the graph convolutions on Cora', load: () => import('./graphs/reproduce') },
  tableA4: { summary: 'shallow baselines of the graph convolutions', load: () => import('./graphs/reproduce') },
  fig2: { summary: "t-SNE of a two-layer GCN's hidden layer on Cora: DFA, BP, shallow (PNG + SVG)", load: () => import('./graphs/reproduce') },
  graphs: { summary: 'the whole graph suite: table3 + tableA4 + tableA2 + table4 + fig2', load: () => import('./graphs/reproduce') },
  figA1: { summary: 'Tiny-NeRF on lego with BP, DFA and shallow: test PSNR and a side-by-side PNG', load: () => import('./nerf/reproduce') },
  table1: { summary: 'NeRF on lego and fern with BP and DFA (+ NeRF-Dual): held-out PSNR beside the paper', load: () => import('./nerf/reproduce') },
};
