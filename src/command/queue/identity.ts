/**
 * What a job must share with the worker that runs it for the numbers to be the ones the submitter
 * asked for: the code (the git commit, src/command/environment.ts) and the data (data_checksum.ts)
 * of the folder a run reads: the data folder (the worker's --data, $DFA_DATA or the shared data
 * beside the repository), or the path a run's params name as `data`.
 */
import { sharedDataDir } from '../../data/paths';
import { codeVersion } from '../environment';
import type { RunSpec } from '../experiment';
import { dataChecksum } from './data_checksum';

/** The code version a submitter stamps on its jobs and a worker compares them with ($DFA_CODE_VERSION overrides it, for tests). */
export function queueCodeVersion(): string {
  return process.env.DFA_CODE_VERSION || codeVersion();
}

export interface DataIdentity {
  /** the path the run's params name, or null: the worker's data folder */
  path: string | null;
  /** 'sha256:<hex>' of that data, or null when the submitter has none to check against */
  checksum: string | null;
}

/** The data a run reads: its params' `data` path when it names one, else the data folder. */
export function dataPathOf(spec: RunSpec): string | null {
  const d = spec.params.data;
  return typeof d === 'string' && d ? d : null;
}

/** The submitter's view of a run's data (the checksum is null when the submitter has no copy). */
export function dataIdentity(spec: RunSpec): DataIdentity {
  const path = dataPathOf(spec);
  return { path, checksum: dataChecksum(path ?? sharedDataDir())?.checksum ?? null };
}
