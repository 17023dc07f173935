/** The `dfa` command: runs one command line; `extra` adds commands from outside src/ (the bin adds `dfa bench`). */
import { UsageError } from '../command/options';
import type { LazyCommand } from '../suites/types';
import { dispatch } from './dispatch';

export async function main(argv: string[], extra: Record<string, LazyCommand> = {}): Promise<number> {
  try {
    return await dispatch(argv, extra);
  } catch (e) {
    const err = e as Error;
    console.error(err instanceof UsageError ? err.message : `dfa: ${err.message}`);
    if (process.env.DFA_DEBUG) console.error(err.stack);
    return err instanceof UsageError ? 2 : 1;
  }
}
