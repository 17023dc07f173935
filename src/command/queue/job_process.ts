/**
 * One job, in a child process of `dfa worker` (BullMQ's sandboxed processor): the worker's own
 * process only takes jobs and renews their locks, so a training run that keeps this process busy
 * for minutes never loses its job to the stalled-job check, and a crash here fails one attempt,
 * not the worker. The child is reused for the next job (the backend and a table's prepared data
 * stay loaded).
 *
 * A job runs only with the code and data it was made for (else it goes back to the queue with a
 * WorkerMismatchError, found before anything heavy is loaded), in a checkpoint folder of its own under the worker's --checkpoints, so
 * an attempt after a killed one resumes where the table checkpoints. A failure that cannot change
 * (DeterministicRunError, or the error of the previous attempt again) is not retried.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxedJob } from 'bullmq';
import { sharedDataDir } from '../../data/paths';
import { failureOf, type Experiment } from '../experiment';
import { encodeResult } from './codec';
import { dataChecksum, short } from './data_checksum';
import { workerMismatch } from './errors';
import { JOB_FORMAT, type JobData, type JobProgress, type JobResult } from './job';
import { ENV, type ExperimentLoader } from './worker_env';

// The worker is gone (kill -9, machine lost): stop at once, so no orphan keeps writing into the
// checkpoint folder the job's next attempt resumes from.
process.on('disconnect', () => process.exit(70));
// A forced stop of the worker: do not finish the run first.
process.on('SIGTERM', () => process.exit(143));

const worker = process.env[ENV.name] ?? `child:${process.pid}`;
const experiments = new Map<string, Promise<Experiment<unknown, unknown>>>();
let backend: Promise<unknown> | null = null;
let loader: Promise<ExperimentLoader> | null = null;

function loadExperiment(command: string): Promise<Experiment<unknown, unknown>> {
  let e = experiments.get(command);
  if (!e) {
    loader ??= import(process.env[ENV.loader]!).then((m: { loadExperiment: ExperimentLoader }) => m.loadExperiment);
    e = loader.then((load) => load(command));
    experiments.set(command, e);
  }
  return e;
}

/** Why this worker must not run a job made with other code or for other data (a named error), or null. */
function mismatch(d: JobData): string | null {
  if (d.format !== JOB_FORMAT) return workerMismatch(`worker ${worker} reads jobs of format ${JOB_FORMAT}, this one is '${String(d.format)}': run the same version of dfa-ts everywhere`);
  const version = process.env[ENV.version];
  if (d.version !== version) return workerMismatch(`worker ${worker} runs code ${version}, the job was submitted with ${d.version} (${d.submitter}): check out the same commit on every machine`);
  if (!d.data.checksum) return null;
  const path = d.data.path ?? sharedDataDir();
  const mine = d.data.path ? dataChecksum(d.data.path)?.checksum ?? null : process.env[ENV.dataChecksum] || (dataChecksum(path)?.checksum ?? null);
  if (mine === d.data.checksum) return null;
  return workerMismatch(`worker ${worker} has ${mine ? `other data at ${path} (sha256 ${short(mine)})` : `no data at ${path}`} than the submitter (sha256 ${short(d.data.checksum)}): give every machine the same data (dfa worker --data DIR)`);
}

/**
 * Hand a job this worker must not run back to the queue untouched (no attempt used): the refusal
 * travels as the job's progress, which the submitter prints and on which this worker stops.
 */
async function refuse(job: SandboxedJob<JobData, JobResult>, token: string | undefined, why: string): Promise<never> {
  const p: JobProgress = { fraction: 0, worker, refused: why };
  await job.updateProgress(p as unknown as object);
  await job.moveToWait(token);
  const e = new Error(why);
  e.name = 'WaitingError'; // BullMQ: the job was moved back to wait, not failed
  throw e;
}

function unrecoverable(message: string): Error {
  const e = new Error(message);
  e.name = 'UnrecoverableError'; // BullMQ fails the job without further attempts
  return e;
}

/** The previous attempt's error (a sandboxed job carries it JSON-encoded). */
function previousError(job: SandboxedJob): string | undefined {
  const r = job.failedReason as string | undefined;
  if (!r?.startsWith('"')) return r;
  try {
    return JSON.parse(r) as string;
  } catch {
    return r;
  }
}

export default async function processJob(job: SandboxedJob<JobData, JobResult>, token?: string): Promise<JobResult> {
  const d = job.data;
  const why = mismatch(d);
  if (why) return refuse(job, token, why);
  backend ??= import('../../engine/backend').then((m) => m.initBackend());
  await backend;
  const { runEnvironment } = await import('../environment');
  let exp: Experiment<unknown, unknown>;
  try {
    exp = await loadExperiment(d.command);
  } catch (e) {
    throw unrecoverable(failureOf(e).error);
  }
  const checkpointDir = join(process.env[ENV.checkpoints]!, job.id!.replace(/[^A-Za-z0-9._-]+/g, '_'));
  const resumed = existsSync(checkpointDir) && readdirSync(checkpointDir).length > 0;
  const t0 = performance.now();
  let lastProgress = 0;
  try {
    const result = await exp.run(d.spec, {
      progress(fraction, fields) {
        const now = Date.now();
        if (now - lastProgress < 1000) return; // every step would flood Redis
        lastProgress = now;
        const p: JobProgress = { fraction, worker, ...(fields ? { fields } : {}) };
        void job.updateProgress(p as unknown as object).catch(() => {});
      },
      checkpointDir,
      log: (m) => console.log(`[${worker}] ${d.table} ${d.spec.id}: ${m.trim()}`),
    });
    return { result: encodeResult(result), seconds: (performance.now() - t0) / 1000, env: runEnvironment(), worker, resumed };
  } catch (e) {
    const f = failureOf(e);
    if (f.deterministic) throw unrecoverable(f.error);
    if (job.attemptsMade > 0 && previousError(job) === f.error) throw unrecoverable(f.error);
    throw e instanceof Error ? e : new Error(f.error);
  }
}
