/** The nerf wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { Suite, SuiteReport } from '../types';

/** The NeRF tables for the reproduction report: their budgets (table1's, ~3 CPU min at quick) and the parts of the paper they make. */
const TABLE1_BUDGETS = {
  tiny: { args: ['--iters', '2', '--rays', '4', '--samples', '4', '--importance', '4', '--lego-factor', '8', '--fern-downscale', '24', '--test-views', '1'], leaves: 'a pipeline check: 2 steps of 4 rays' },
  quick: { args: ['--iters', '60', '--test-views', '1'], leaves: '60 steps of 32 rays at 50×50 (lego) and 42×31 (fern), one lego test view: the pipeline, far from converged' },
  standard: { args: ['--iters', '1000', '--epoch-steps', '250'], leaves: '1,000 steps of 32 rays at 50×50 / 42×31, two lego test views and fern\'s three' },
} as const;
const review = (part: keyof typeof import('./review').NERF_REVIEWS) => async () => (await import('./review')).NERF_REVIEWS[part];

const NERF_REPORT: SuiteReport = {
  budgets: {
    tableA5: TABLE1_BUDGETS,
    figA1: {
      tiny: { args: ['--iters', '4', '--rays', '16', '--samples', '8', '--factor', '8', '--test-views', '1'], leaves: 'a pipeline check: 4 steps at 25×25' },
      quick: { args: ['--iters', '1500', '--factor', '2'], leaves: '1,500 steps of 128 rays × 32 samples at 100×100 (paper: 5,000 × 1,024 × 64)' },
      standard: { args: ['--iters', '5000', '--rays', '256', '--samples', '64', '--factor', '2'], leaves: "the paper's 5,000 steps and 64 samples at 100×100, 256 rays a step (paper 1,024)" },
    },
  },
  parts: [
    // one sitting of table1's runs gives both (tableA5 is table1 with --also tableA5)
    { id: 'Table 1', title: 'NeRF view synthesis: PSNR (dB), BP and DFA', sources: [{ table: 'tableA5', rows: ['table1'] }], review: review('table1') },
    { id: 'Table A.5', title: "NeRF per-scene PSNR (dB), BP and DFA, beside the paper's other methods", sources: [{ table: 'tableA5', rows: ['tableA5'] }], review: review('tableA5') },
    { id: 'Fig. A.1', title: 'Tiny-NeRF renders on lego: BP, DFA, shallow', sources: [{ table: 'figA1' }], review: review('figA1') },
  ],
};

export const NERF: Suite = {
  name: 'nerf',
  summary: 'NeRF and Tiny-NeRF view synthesis on the lego and fern scenes',
  tables: {
    figA1: { summary: 'Tiny-NeRF on lego with BP, DFA and shallow: test PSNR and a side-by-side PNG', load: () => import('./experiments/figA1').then((m) => m.FIG_A1_COMMAND) },
    table1: { summary: 'NeRF on lego and fern with BP and DFA (+ NeRF-Dual): held-out PSNR beside the paper', load: () => import('./experiments/table1').then((m) => m.TABLE1_COMMAND) },
    tableA5: { summary: "per-scene NeRF PSNR on lego and fern beside the paper's Table A.5 (table1's runs)", load: () => import('./experiments/table1').then((m) => m.TABLE_A5_COMMAND) },
  },
  commands: {
    render: { summary: 'render novel views of a trained NeRF along its camera path: PNG frames + an animated PNG', load: () => import('./commands/render').then((m) => m.render) },
  },
  report: NERF_REPORT,
};
