/** The transformer wing: its `dfa reproduce` tables and commands (loaded only when called). */
import type { Suite } from '../types';

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
};
