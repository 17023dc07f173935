/**
 * The shape every wing of the paper has: a manifest naming its `dfa reproduce` tables and its own
 * top-level commands, each loaded only when called (so `dfa train` never pays for the NeRF
 * loaders). Everything else of a wing (data, models, paper settings, experiments) lives in its
 * folder src/suites/<name>/ and is built from the core only.
 */
import type { Command } from '../command/command';

/** A command before the option layer (issue 18 converts every one): parses its own argv. */
export interface LegacyCommand {
  help: string;
  run(argv: string[]): Promise<number | void>;
}

/** A legacy `dfa reproduce` module: one run(table, argv) for several tables. */
export interface LegacyTables {
  run(table: string, argv: string[]): Promise<number | void>;
}

export interface LazyCommand {
  summary: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  load(): Promise<Command<any> | LegacyCommand | LegacyTables>;
}

export interface Suite {
  /** 'graphs', 'recsys', 'nerf', 'transformer' */
  name: string;
  summary: string;
  /** `dfa reproduce <table>` */
  tables: Record<string, LazyCommand>;
  /** `dfa <command>` */
  commands?: Record<string, LazyCommand>;
}
