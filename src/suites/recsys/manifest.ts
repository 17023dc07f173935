/** The recsys wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { Suite, SuiteReport } from '../types';

/** The rates chosen on validation AUC on the 2M synthetic rows (README.md), for every size of that set. */
const TUNED = ['--lr', 'deepfm/bp=4e-3,deepfm/dfa=2e-3,deepfm/shallow=1e-3,afn/bp=1e-3,afn/dfa=2e-3', '--dropout', 'deepfm/bp=0.2,deepfm/dfa=0.2'];

/** The recommender tables for the reproduction report: their budgets and the parts of the paper they make. */
const RECSYS_REPORT: SuiteReport = {
  budgets: {
    recsys: {
      tiny: { args: ['--epochs', '1', '--max-train-rows', '512', '--max-eval-rows', '256'], leaves: 'a pipeline check: 512 rows of one epoch' },
      quick: { args: [], leaves: 'the 9,999-row sample, 3 epochs, the paper\'s rates: a pipeline check' },
      standard: { args: ['--seeds', '3'], leaves: 'the 9,999-row sample, 3 epochs, 3 seeds: a pipeline check' },
    },
    'recsys-synth': {
      tiny: { args: ['--rows', '3000', '--cells', 'deepfm/bp,deepfm/dfa,deepfm/shallow,dcn/dfa', ...TUNED], leaves: 'a pipeline check: 3,000 rows' },
      quick: { args: ['--rows', '200000', '--cells', 'deepfm/bp,deepfm/dfa,deepfm/shallow,dcn/dfa', ...TUNED, '--oracle'], leaves: '200,000 rows (a tenth of the README\'s set), one epoch, DeepFM and Deep&Cross\'s alignment; AFN is left to the standard budget (20-40 min a cell)' },
      standard: { args: [...TUNED, '--oracle'], leaves: "the README's comparison: 2M rows, one epoch, every default cell (DeepFM and AFN with BP, DFA, shallow; Deep&Cross DFA)" },
    },
  },
  parts: [
    {
      id: 'Table 2', title: 'recommender systems: test AUC and log loss, BP and DFA',
      sources: [
        { table: 'recsys-synth', rows: ['table2', 'oracle'], role: 'The comparison: BP and DFA at rates tuned on these data (synthetic Criteo-shaped rows from a known click model)' },
        { table: 'recsys', rows: ['table2'], role: "Pipeline check only: the shared 9,999-row sample at the paper's rates (tuned for 45M rows) learns next to nothing" },
      ],
      review: async () => (await import('./review')).RECSYS_REVIEWS.table2,
    },
    {
      id: 'Table A.1', title: 'DFA alignment in the special layers: Deep&Cross cross layers, AFN logarithmic layer',
      sources: [{ table: 'recsys-synth', rows: ['tableA1'], role: 'On synthetic rows' }, { table: 'recsys', rows: ['tableA1'], role: 'Pipeline check: the 9,999-row sample' }],
      review: async () => (await import('./review')).RECSYS_REVIEWS.tableA1,
    },
    {
      id: 'Table A.3', title: 'shallow baseline of the recommenders: test AUC and log loss',
      sources: [{ table: 'recsys-synth', rows: ['tableA3'], role: 'On synthetic rows, rates tuned on them' }, { table: 'recsys', rows: ['tableA3'], role: 'Pipeline check: the 9,999-row sample' }],
      review: async () => (await import('./review')).RECSYS_REVIEWS.tableA3,
    },
  ],
};

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
  report: RECSYS_REPORT,
};
