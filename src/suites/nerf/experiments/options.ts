/** Options figA1 and table1 spell the same way. */
import type { Method } from '../../../feedback';
import type { IntOption, NumberOption } from '../../../command/options';
import { UsageError } from '../../../command/options';
import { DRTP_UNDEFINED } from '../task';

export function lrOption(def: number, help: string): NumberOption & { default: number } {
  return { type: 'number', min: 0, above: true, default: def, help };
}

export const epochStepsOption: IntOption = { type: 'int', min: 1, help: 'steps per epoch: each run is saved after every epoch (default --iters: once, at the end); must divide --iters' };

/** drtp is undefined for NeRF (a regression): refused before any run, saying why. */
export function validateMethods(command: string, methods: readonly string[]): void {
  if (methods.includes('drtp')) throw new UsageError(`${command}: --methods drtp: ${DRTP_UNDEFINED}`);
}

export function validateEpochSteps(command: string, iters: number, epochSteps: number | undefined): void {
  if (epochSteps !== undefined && iters % epochSteps !== 0) throw new UsageError(`${command}: --epoch-steps ${epochSteps} does not divide --iters ${iters}`);
}

/** The methods with DFA first (the model a table suggests rendering). */
export function dfaFirst(methods: Method[]): Method[] {
  return methods.includes('dfa') ? ['dfa', ...methods.filter((m) => m !== 'dfa')] : methods;
}
