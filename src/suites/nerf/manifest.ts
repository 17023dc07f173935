/** The nerf wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { Suite } from '../types';

export const NERF: Suite = {
  name: 'nerf',
  summary: 'NeRF and Tiny-NeRF view synthesis on the lego and fern scenes',
  tables: {
    figA1: { summary: 'Tiny-NeRF on lego with BP, DFA and shallow: test PSNR and a side-by-side PNG', load: () => import('./experiments/figA1').then((m) => m.figA1) },
    table1: { summary: 'NeRF on lego and fern with BP and DFA (+ NeRF-Dual): held-out PSNR beside the paper', load: () => import('./experiments/table1').then((m) => m.table1) },
  },
  commands: {
    render: { summary: 'render novel views of a trained NeRF along its camera path: PNG frames + an animated PNG', load: () => import('./commands/render').then((m) => m.render) },
  },
};
