/** The test workers' ExperimentLoader: the synthetic experiment as the command 'test synthetic'. */
import type { Experiment } from '../../src/command/experiment';
import { SYNTHETIC } from './synthetic';

export async function loadExperiment(command: string): Promise<Experiment<unknown, unknown>> {
  if (command === 'test synthetic') return SYNTHETIC as unknown as Experiment<unknown, unknown>;
  throw new Error(`test worker: no command '${command}'`);
}
