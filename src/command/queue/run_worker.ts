/**
 * The body of `dfa worker`: a BullMQ Worker on the runs queue whose jobs run in child processes
 * (job_process.ts), `concurrency` at a time, each with `threads` threads. This process only takes
 * jobs, renews their locks and prints what it runs; a worker killed with kill -9 stops renewing, and
 * another worker's stalled-job check hands its jobs to the next worker after `lockSeconds`.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker, type Job } from 'bullmq';
import { sharedDataDir } from '../../data/paths';
import { dataChecksum, short } from './data_checksum';
import { queueCodeVersion } from './identity';
import { QUEUE_NAME, workerName, type JobData, type JobProgress, type JobResult } from './job';
import { RedisWatch, waitForRedis } from './redis_watch';
import { connectionOf, parseQueueUrl } from './url';
import { ENV } from './worker_env';

export interface WorkerOptions {
  url: string;
  /** URL of a module exporting `loadExperiment` (the CLI's finds tables through the suites' manifests) */
  loader: string;
  /** jobs at a time (default 1) */
  concurrency?: number;
  /** threads per job (DFA_NUM_THREADS and OPENBLAS_NUM_THREADS of the job processes; default: as set, else all cores) */
  threads?: number;
  /** the data folder the runs read (default $DFA_DATA, else the shared data beside the repository) */
  data?: string;
  /** one checkpoint folder per job under here (default <tmp>/dfa-worker-checkpoints) */
  checkpoints?: string;
  /** seconds to wait for Redis at the start, or after losing it (default 30) */
  wait?: number;
  /** a job whose worker stops renewing its lock for this long goes to another worker (default 30) */
  lockSeconds?: number;
  log?: (message: string) => void;
}

/** exit status of a worker that refused a job (other code or data) and stopped */
export const REFUSED_EXIT = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jobLabel = (job: Job<JobData>) => `${job.data.table} ${job.data.spec.id}`;
const connectionTrouble = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|connect|socket|Stream isn't writeable/i;

/** Runs jobs until stopped (Ctrl-C: finish the running jobs; twice: now). Resolves to the exit status. */
export async function runWorker(o: WorkerOptions): Promise<number> {
  const address = parseQueueUrl(o.url, 'dfa worker');
  const log = o.log ?? ((m: string) => console.log(m));
  const name = workerName();
  const concurrency = o.concurrency ?? 1, wait = o.wait ?? 30, lock = o.lockSeconds ?? 30;
  if (o.threads) process.env.DFA_NUM_THREADS = process.env.OPENBLAS_NUM_THREADS = String(o.threads);
  if (o.data) process.env.DFA_DATA = resolve(o.data);
  const root = sharedDataDir();
  const sum = dataChecksum(root);
  const checkpoints = resolve(o.checkpoints ?? join(tmpdir(), 'dfa-worker-checkpoints'));
  mkdirSync(checkpoints, { recursive: true });
  const threads = process.env.DFA_NUM_THREADS ? `${process.env.DFA_NUM_THREADS} thread(s)` : 'all cores';
  log(`dfa worker ${name}: code ${queueCodeVersion()}; data ${root} (${sum ? `${sum.files} files, ${(sum.bytes / 1e6).toFixed(1)} MB, sha256 ${short(sum.checksum)}, hashed in ${sum.seconds.toFixed(1)} s` : 'missing'}); ${concurrency} job(s) at a time, ${threads} each; checkpoints in ${checkpoints}`);
  await waitForRedis(address, wait, `dfa worker ${name}`);

  const env = { ...process.env, [ENV.name]: name, [ENV.version]: queueCodeVersion(), [ENV.loader]: o.loader, [ENV.checkpoints]: checkpoints, [ENV.dataChecksum]: sum?.checksum ?? '' };
  // the job processes load TypeScript through tsx, whichever way this process was started
  const execArgv = [...process.execArgv.filter((a) => /^--(max-old-space-size|stack-size|enable-source-maps)/.test(a)), '--import', import.meta.resolve('tsx')];
  const worker = new Worker<JobData, JobResult>(QUEUE_NAME, new URL('./job_process.ts', import.meta.url), {
    name, connection: connectionOf(address), concurrency,
    lockDuration: lock * 1000, stalledInterval: Math.max(500, lock * 500), maxStalledCount: 2,
    useWorkerThreads: false, workerForkOptions: { execArgv, env },
  });
  const checkpointOf = (job: Job<JobData>) => join(checkpoints, job.id!.replace(/[^A-Za-z0-9._-]+/g, '_'));
  let refused: string | null = null;
  const seen = new Set<string>();

  worker.on('active', (job) => log(`start ${jobLabel(job)} (attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}, from ${job.data.submitter})`));
  worker.on('completed', (job, r) => {
    log(`done  ${jobLabel(job)} in ${r.seconds.toFixed(1)} s${r.resumed ? ' (resumed from its checkpoint)' : ''}`);
    rmSync(checkpointOf(job), { recursive: true, force: true });
  });
  worker.on('progress', (job, p) => {
    const why = (p as Partial<JobProgress>)?.refused;
    if (!why) return;
    refused ??= why;
    log(`REFUSED ${jobLabel(job)}: ${why}`);
    log(`dfa worker ${name}: stops taking jobs (it cannot run this submitter's jobs); the refused job is back in the queue for another worker`);
    void worker.close();
  });
  worker.on('failed', (job, err) => {
    if (!job) return;
    const final = err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    log(`FAILED ${jobLabel(job)} (attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}): ${err.message}${final ? ' (not retried)' : ' (will be retried)'}`);
    if (final) rmSync(checkpointOf(job), { recursive: true, force: true });
  });
  worker.on('stalled', (jobId) => log(`job ${jobId} stalled (its worker stopped answering); back to the queue`));
  worker.on('error', (err) => {
    if (connectionTrouble.test(err.message) || seen.has(err.message)) return; // the watch reports Redis trouble
    seen.add(err.message);
    log(`dfa worker ${name}: ${err.message}`);
  });

  const closed = new Promise<void>((r) => worker.once('closed', () => r()));
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (++interrupts > 1) {
      log(`dfa worker ${name}: stopping now (${sig}); its running jobs go back to the queue after ${lock} s`);
      process.exit(130);
    }
    log(`dfa worker ${name}: finishing the running job(s), then stopping (${sig} again: stop now)`);
    void worker.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const watch = new RedisWatch(address, wait, `dfa worker ${name}`, log, 'its running jobs go back to the queue; start the worker again once Redis is up');
  try {
    await Promise.race([closed, watch.lost]);
  } catch (e) {
    await Promise.race([worker.close(true), sleep(3000)]);
    await worker.disconnect().catch(() => {});
    throw e;
  } finally {
    watch.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (refused) {
    console.error(`dfa worker ${name}: ${refused}`);
    return REFUSED_EXIT;
  }
  return 0;
}
