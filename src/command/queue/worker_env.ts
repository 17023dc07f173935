/**
 * What `dfa worker` hands its job processes (src/command/queue/job_process.ts) through their
 * environment, and the loader a worker is given to find an Experiment by its command.
 */
import type { Experiment } from '../experiment';

/** Finds the Experiment behind a command ('reproduce table5', 'search'); the CLI's reads the suites' manifests. */
export type ExperimentLoader = (command: string) => Promise<Experiment<unknown, unknown>>;

export const ENV = {
  /** the worker's name (host:pid) */
  name: 'DFA_WORKER_NAME',
  /** the code version jobs must have been submitted with (the worker's) */
  version: 'DFA_WORKER_VERSION',
  /** URL of a module exporting `loadExperiment: ExperimentLoader` */
  loader: 'DFA_WORKER_LOADER',
  /** the folder that holds one checkpoint folder per job */
  checkpoints: 'DFA_WORKER_CHECKPOINTS',
  /** the checksum of the worker's data folder, computed once by the worker */
  dataChecksum: 'DFA_WORKER_DATA_CHECKSUM',
} as const;
