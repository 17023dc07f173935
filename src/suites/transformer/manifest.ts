/** The transformer wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { Suite, SuiteReport } from '../types';

/** Table 5 for the reproduction report: its budgets (all 11 cells at each) and the part it makes. */
const TRANSFORMER_REPORT: SuiteReport = {
  budgets: {
    table5: {
      tiny: { args: ['--epochs', '2', '--steps', '3', '--valid-chunks', '4'], leaves: 'a pipeline check: 2 epochs of 3 steps' },
      quick: { args: ['--steps', '80'], leaves: 'one seed, 20 epochs of 80 steps (819,200 training tokens a run, half the standard budget)' },
      standard: { args: ['--seeds', '3'], leaves: '3 seeds, 20 epochs of 160 steps (1,638,400 training tokens a run)' },
    },
  },
  parts: [
    {
      id: 'Table 5', title: 'Transformer language model: best validation perplexity, BP, DFA macro / micro under four optimizer settings, shallow',
      sources: [{ table: 'table5' }], review: async () => (await import('./review')).TABLE5_REVIEW,
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
