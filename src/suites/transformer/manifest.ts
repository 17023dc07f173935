/** The transformer wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { Suite, SuiteReport } from '../types';

const LARGE = ['--d', '128', '--layers', '4', '--heads', '4', '--ffn', '512', '--ctx', '64', '--batch', '16'];

/** Table 5 for the reproduction report: its budgets (all 11 cells at each) and the part it makes. */
const TRANSFORMER_REPORT: SuiteReport = {
  budgets: {
    table5: {
      tiny: { args: ['--epochs', '2', '--steps', '3', '--valid-chunks', '4'], leaves: 'a pipeline check: 2 epochs of 3 steps' },
      quick: { args: ['--steps', '80'], leaves: 'one seed, 20 epochs of 80 steps (819,200 training tokens a run, half the standard budget)' },
      standard: { args: ['--seeds', '3'], leaves: '3 seeds, 20 epochs of 160 steps (1,638,400 training tokens a run)' },
    },
    // the same grid at a second, larger model (d 128, 4 layers, context 64): do the gaps shrink with scale?
    'table5-large': {
      tiny: { args: ['--d', '32', '--layers', '3', '--heads', '2', '--ffn', '64', '--ctx', '16', '--epochs', '2', '--steps', '3', '--valid-chunks', '4'], leaves: 'a pipeline check: a 3-layer d-32 model, 2 epochs of 3 steps' },
      quick: { args: [...LARGE, '--epochs', '2', '--steps', '10'], leaves: 'the larger model for 2 epochs of 10 steps: a pipeline check, not a comparison' },
      standard: { args: [...LARGE, '--epochs', '20', '--steps', '40'], leaves: 'one seed, 20 epochs of 40 steps (819,200 training tokens a run, ~75 min for the grid on one core of this machine)' },
    },
  },
  parts: [
    {
      id: 'Table 5', title: 'Transformer language model: best validation perplexity, BP, DFA macro / micro under four optimizer settings, shallow',
      sources: [{ table: 'table5' }, { table: 'table5', budgets: 'table5-large', role: 'the same grid at a larger model (d 128, 4 layers, 4 heads, ffn 512, context 64)' }], review: async () => (await import('./review')).TABLE5_REVIEW,
    },
  ],
};

export const TRANSFORMER: Suite = {
  name: 'transformer',
  summary: 'a GPT-style language model with macro and micro DFA on Tiny Shakespeare / WikiText',
  tables: {
    table5: {
      summary: 'Transformer LM perplexity: BP, DFA macro/micro under the Table 5 optimizer grid, shallow (Tiny Shakespeare, BPE)',
      load: () => import('./experiments/table5').then((m) => m.TABLE5_COMMAND),
    },
  },
  commands: {
    generate: { summary: 'sample text from a saved Transformer language model (temperature, top-k)', load: () => import('./commands/generate').then((m) => m.GENERATE) },
  },
  report: TRANSFORMER_REPORT,
};
