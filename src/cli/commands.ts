/**
 * The registry of `dfa` sub-commands. Each command lives in its own file under commands/ and is
 * loaded only when called, so `dfa bench` never pays for the NeRF loaders and so on.
 * A command module exports `run(argv: string[]): Promise<number | void>` and `help: string`.
 */
export interface CommandModule {
  help: string;
  run(argv: string[]): Promise<number | void>;
}

export const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  bench: { summary: 'benchmarks beside PyTorch: engine, mlp', load: () => import('./commands/bench') },
};
