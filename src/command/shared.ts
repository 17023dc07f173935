/**
 * Options every command that has them spells and checks the same way. Use these in an option
 * table instead of declaring the option again: `{ ...SHARED_OUTPUTS, seeds: seedsOption([0]) }`.
 */
import { METHODS } from '../feedback/methods';
import type { IntOption, ListOption, PathOption, SeedsOption } from './options';

export function seedsOption(def: readonly number[], help = 'seeds: a count N (seeds 0..N-1) or a comma list'): SeedsOption & { default: readonly number[] } {
  return { type: 'seeds', default: def, help };
}

/**
 * --methods: training methods, any of the one Method type (src/feedback/methods.ts). No default in
 * the table: each table falls back to the paper's methods of that table (say which in `help`).
 */
export function methodsOption(help = "training methods (default: the paper's methods of the table)"): ListOption {
  return { type: 'list', of: 'enum', choices: METHODS, help: `${help}; any of ${METHODS.join(', ')}` };
}

export function epochsOption(def: number, help = 'training epochs per run'): IntOption & { default: number } {
  return { type: 'int', min: 1, max: 1_000_000, default: def, help };
}

export function dataOption(help = 'a folder holding the data (default: the shared data beside the repository, or $DFA_DATA)', kind: 'in-dir' | 'in-file' | 'in-any' = 'in-dir'): PathOption {
  return { type: 'path', kind, help };
}

/** With a default the parsed value is always a string (the typed options know it). */
export function outOption(def: string, help?: string): PathOption & { default: string };
export function outOption(def: undefined, help?: string): PathOption;
export function outOption(def: string | undefined, help = 'folder for the images, models and runs this writes'): PathOption {
  return { type: 'path', kind: 'out-dir', ...(def !== undefined ? { default: def } : {}), help };
}

/** --json and --md: the results table, written as rows arrive (checked writable first). */
export const RESULT_FILES = {
  json: { type: 'path', kind: 'out-file', help: 'write one JSON row per cell (written as cells finish)' } as PathOption,
  md: { type: 'path', kind: 'out-file', help: 'the same table as Markdown' } as PathOption,
};

export const cacheOption: PathOption = { type: 'path', kind: 'out-dir', help: 'cache of processed data, keyed by the content of the source' };
export const checkpointOption: PathOption = { type: 'path', kind: 'out-dir', help: 'save each run here after every epoch and resume it from here' };
export const threadsOption: IntOption = { type: 'int', min: 1, max: 64, help: 'threads for the native kernels and OpenBLAS (default: all cores)' };
