/** The nerf wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { Suite } from '../types';

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
};
