/**
 * One job = one run of an Experiment, as it travels through Redis: the command that knows the
 * Experiment, the run's spec (JSON params only), and the code version and data checksum it must be
 * run with. Its id is the table, the run id and a digest of what it computes, so a submitter that
 * is stopped and started again finds the jobs it added (done, running or waiting) instead of adding
 * them twice.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { RunEnvironment } from '../environment';
import type { RunSpec } from '../experiment';
import type { DataIdentity } from './identity';

/** The one queue every `dfa` submitter and worker on a Redis uses. */
export const QUEUE_NAME = 'dfa-runs';
export const JOB_FORMAT = 'dfa-ts-job/1';

export interface JobData {
  format: typeof JOB_FORMAT;
  /** the command that holds the Experiment, as typed after `dfa` (e.g. 'reproduce table5', 'search') */
  command: string;
  table: string;
  spec: RunSpec;
  version: string;
  data: DataIdentity;
  /** host:pid of the submitter (for the logs) */
  submitter: string;
}

/** What a worker returns for a finished run (a run that throws fails the job instead). */
export interface JobResult {
  result: unknown;
  seconds: number;
  env: RunEnvironment;
  worker: string;
  /** the run went on from a checkpoint of an earlier attempt */
  resumed: boolean;
}

/** What the worker reports while a run goes on (job progress). */
export interface JobProgress {
  fraction: number;
  worker: string;
  fields?: Record<string, string | number>;
  /** set when the worker refused the job (WorkerMismatchError) and handed it back to the queue */
  refused?: string;
}

export function jobDataOf(command: string, table: string, spec: RunSpec, version: string, data: DataIdentity): JobData {
  return { format: JOB_FORMAT, command, table, spec, version, data, submitter: `${hostname()}:${process.pid}` };
}

/** table/run-id@digest (BullMQ ids may not contain ':'). */
export function jobIdOf(d: JobData): string {
  const digest = createHash('sha256').update(JSON.stringify([d.command, d.spec.params, d.version, d.data])).digest('hex').slice(0, 16);
  return `${d.table}/${d.spec.id}@${digest}`.replace(/:/g, '_');
}

export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}
