/**
 * The registry of `dfa` sub-commands. Each command lives in its own file under commands/ and is
 * loaded only when called, so `dfa bench` never pays for the NeRF loaders and so on.
 * A command module exports `run(argv: string[]): Promise<number | void>` and `help: string`.
 */
export interface CommandModule {
  help: string;
  run(argv: string[]): Promise<number | void>;
  /** true when `dfa <cmd> <target> --help` is answered by the target (e.g. reproduce's tables) */
  handlesHelp?: boolean;
}

export const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  reproduce: { summary: "run a table or figure of the paper and print ours beside the paper's values", load: () => import('./commands/reproduce') },
  train: { summary: 'train one network with bp, dfa, fa or shallow on a built-in task; writes runs/<id>/ with a report', load: () => import('./commands/train') },
  demo: { summary: 'train one network with bp, dfa, fa and shallow side by side and print the comparison', load: () => import('./commands/demo') },
  playground: { summary: 'the browser playground: BP, DFA, FA and shallow learning side by side, live (localhost or --build DIR)', load: () => import('./commands/playground') },
  report: { summary: "show runs/<id> folders written by 'dfa train' as charts in the browser", load: () => import('./commands/report') },
  bench: { summary: 'benchmarks beside PyTorch: engine, mlp', load: () => import('./commands/bench') },
  search: { summary: 'grid search (lr × dropout) for a recommender model and method, chosen on validation AUC', load: () => import('./commands/search') },
  'criteo-synth': { summary: 'write Criteo-format synthetic rows from a known click model (any size, streamed)', load: () => import('./commands/criteo-synth') },
  generate: { summary: 'sample text from a saved Transformer language model (temperature, top-k)', load: () => import('./commands/generate') },
  render: { summary: 'render novel views of a trained NeRF along its camera path: PNG frames + an animated PNG', load: () => import('./commands/render') },
};
