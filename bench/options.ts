/**
 * Options every benchmark spells the same way (--json through the shared result option, --no-torch,
 * the timing windows), and the runner of the bench scripts (bench/profile_*.ts, nerf_budget.ts)
 * started with `node --import tsx`: the same option layer as `dfa bench`, exit 2 on bad input.
 */
import { runCommand, type Command } from '../src/command/command';
import { UsageError, type FlagOption, type IntOption, type NumberOption, type PathOption } from '../src/command/options';
import { RESULT_FILES } from '../src/command/shared';

/** --json FILE: the shared result file, checked writable before the benchmark; written at the end. */
export const benchJson: PathOption = { ...RESULT_FILES.json, help: 'write the results as JSON (checked writable before the benchmark starts)' };
export const noTorch: FlagOption = { type: 'flag', help: 'skip the PyTorch column' };

export function windowsOption(def: number, help = 'timed windows (the median is reported)'): IntOption & { default: number } {
  return { type: 'int', min: 1, default: def, help };
}
export function windowSecondsOption(def: number, help = 'seconds per timed window'): NumberOption & { default: number } {
  return { type: 'number', min: 0, above: true, default: def, help };
}
/** A count of at least 1 (steps, rows, batch, ...). */
export function countOption(def: number, help: string): IntOption & { default: number } {
  return { type: 'int', min: 1, default: def, help };
}

/** Parses and runs a script's command: its exit code, 2 (with the message) for bad input. */
export async function runScriptArgs(c: Command, argv: string[]): Promise<number> {
  try {
    return await runCommand(c, argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(e.message);
    return 2;
  }
}

/** `if (isScript(import.meta.url)) await runScript(command)` at the end of a script. */
export const isScript = (url: string): boolean => url === `file://${process.argv[1]}`;
export async function runScript(c: Command): Promise<void> {
  process.exitCode = await runScriptArgs(c, process.argv.slice(2));
}
