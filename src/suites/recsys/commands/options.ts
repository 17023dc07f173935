/**
 * Options the recommender commands share (data source, training budget), on top of the core's
 * shared options (src/command/shared.ts), and the checks that run before any work.
 */
import { UsageError, type EnumOption, type IntOption, type PathOption } from '../../../command/options';
import { cacheOption, dataOption } from '../../../command/shared';
import { parseRecsysModel, type RecsysModelName } from '../models';
import { resolveCriteoFile } from '../data/resolve';

/** The largest batch (a batch's tensors must fit in memory) and row budget a command accepts. */
export const MAX_BATCH = 1 << 20;
export const MAX_ROWS = 1_000_000_000;

/** Where the rows come from: a Criteo file, the synthetic generator, or the shared sample. */
export const DATA_OPTIONS = {
  data: dataOption('a Criteo TSV file (train.txt of the Display Advertising Challenge), or a folder holding it (default: the shared 9,999-row sample)', 'in-any'),
  synthetic: { type: 'int', min: 100, max: MAX_ROWS, placeholder: 'N', help: 'N rows of the known-model synthetic generator instead (e.g. 2000000)' } satisfies IntOption,
  cache: { ...cacheOption, help: 'processed-data cache (default ~/.cache/dfa-ts/criteo or $DFA_CACHE/criteo)' } satisfies PathOption,
  malformed: { type: 'enum', choices: ['skip', 'error'], default: 'skip', help: 'malformed lines: skip them (reported with line numbers) or stop' } satisfies EnumOption,
};

export const BUDGET_OPTIONS = {
  'batch-size': { type: 'int', min: 1, max: MAX_BATCH, default: 256, help: 'training batch size (paper: 2048, Deep&Cross 512)' } satisfies IntOption,
  'max-train-rows': { type: 'int', min: 1, max: MAX_ROWS, help: 'train on at most N rows per epoch (default all of the train split)' } satisfies IntOption,
  'max-eval-rows': { type: 'int', min: 1, max: MAX_ROWS, help: 'validate and test on at most N rows each (default all)' } satisfies IntOption,
  patience: { type: 'int', min: 1, max: 1_000_000, help: 'stop after N epochs without a better validation AUC' } satisfies IntOption,
};

/** --data and --synthetic exclude each other; a --data folder must name one Criteo file. */
export function checkDataOptions(command: string, o: { data?: string; synthetic?: number }): void {
  if (o.data !== undefined && o.synthetic !== undefined) throw new UsageError(`${command}: give --data or --synthetic, not both`);
  if (o.data !== undefined) {
    try {
      resolveCriteoFile(o.data);
    } catch (e) {
      throw new UsageError(`${command}: ${(e as Error).message}`);
    }
  }
}

/** A model name (or alias: deepcross, Deep&Cross, ...) as a usage error when unknown. */
export function modelOption(command: string, option: string, s: string): RecsysModelName {
  try {
    return parseRecsysModel(s);
  } catch (e) {
    throw new UsageError(`${command}: --${option}: ${(e as Error).message}`);
  }
}
