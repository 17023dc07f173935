/** The recsys wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { Suite } from '../types';

export const RECSYS: Suite = {
  name: 'recsys',
  summary: 'recommenders FM, DeepFM, Deep&Cross, AFN on Criteo (and generated Criteo-format rows)',
  tables: {
    table2: { summary: 'recommender systems on Criteo: FM, DeepFM, Deep&Cross, AFN with BP and DFA (AUC, log loss)', load: () => import('./experiments/tables').then((m) => m.TABLE2) },
    tableA1: { summary: 'DFA alignment in Deep&Cross cross layers and AFN logarithmic layer (Criteo)', load: () => import('./experiments/tables').then((m) => m.TABLE_A1) },
    tableA3: { summary: 'shallow baselines of DeepFM, Deep&Cross, AFN (Criteo)', load: () => import('./experiments/tables').then((m) => m.TABLE_A3) },
    recsys: { summary: 'the whole recommender suite: table2 + tableA1 + tableA3 from the same runs', load: () => import('./experiments/tables').then((m) => m.RECSYS_TABLES) },
    'recsys-synth': { summary: 'DeepFM and AFN (BP, DFA, shallow) + Deep&Cross DFA alignment on 2M synthetic Criteo rows', load: () => import('./experiments/synth').then((m) => m.RECSYS_SYNTH) },
  },
  commands: {
    search: { summary: 'grid search (lr × dropout) for a recommender model and method, chosen on validation AUC', load: () => import('./experiments/search').then((m) => m.SEARCH) },
    'criteo-synth': { summary: 'write Criteo-format synthetic rows from a known click model (any size, streamed)', load: () => import('./commands/criteo_synth').then((m) => m.CRITEO_SYNTH) },
  },
};
