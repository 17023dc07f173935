/**
 * The submitting side of `--queue redis://HOST:PORT`: a RunExecutor that adds one BullMQ job per
 * missing run and hands each outcome to the table as it arrives. Jobs keep their id across
 * submissions (table/run@digest, src/command/queue/job.ts), so a submitter that is stopped and
 * started again collects the runs finished meanwhile, waits for the ones still running, and adds
 * nothing twice. Outcomes are delivered once per run, whatever events repeat; a periodic look at
 * every pending job catches events missed while Redis was away and jobs that vanished with a
 * Redis restarted without persistence (they are added again).
 */
import { Job, Queue, QueueEvents } from 'bullmq';
import type { RunEnvironment } from '../environment';
import type { RunOutcome, RunSpec } from '../experiment';
import type { RunExecutor, RunningRun } from '../run_experiment';
import { decodeResult } from './codec';
import { short } from './data_checksum';
import { dataIdentity, queueCodeVersion } from './identity';
import { jobDataOf, jobIdOf, QUEUE_NAME, type JobData, type JobProgress, type JobResult } from './job';
import { RedisWatch, waitForRedis } from './redis_watch';
import { connectionOf, parseQueueUrl } from './url';

export interface QueueExecutorOptions {
  /** redis://HOST:PORT[/DB] */
  url: string;
  /** the command as typed after `dfa` ('reproduce table5', 'search'): workers find the Experiment by it */
  command: string;
  /** seconds to wait for Redis at the start, or after losing it, before giving up (default 30) */
  wait?: number;
  /** tries per run, retries with exponential back-off (default 3) */
  attempts?: number;
  /** first back-off in ms, doubled at each retry (default 5000) */
  backoffMs?: number;
  /** finished jobs stay in Redis this long, for a restarted submitter to collect (default 7 days) */
  keepSeconds?: number;
  /** how often every pending job's state is looked at, in ms (default 3000) */
  pollMs?: number;
  /** where the submitter's messages go (default stderr) */
  log?: (message: string) => void;
}

type Deliver<R> = (spec: RunSpec, outcome: RunOutcome<R>, seconds: number, env?: RunEnvironment) => Promise<void>;

interface Tracked {
  id: string;
  spec: RunSpec;
  data: JobData;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** close, but never wait long on a Redis that is gone; then drop the connection */
async function closeQuietly(x: { close(): Promise<void>; disconnect(): Promise<void> }): Promise<void> {
  await Promise.race([x.close().catch(() => {}), sleep(2000)]);
  await x.disconnect().catch(() => {});
}

export function queueExecutor(o: QueueExecutorOptions): RunExecutor {
  const address = parseQueueUrl(o.url);
  const wait = o.wait ?? 30, attempts = o.attempts ?? 3, backoffMs = Math.max(1, o.backoffMs ?? 5000);
  const keep = o.keepSeconds ?? 7 * 24 * 3600, pollMs = o.pollMs ?? 3000;
  const log = o.log ?? ((m: string) => console.error(m));
  const who = `dfa ${o.command}`;

  return {
    async execute<R>(table: string, specs: RunSpec[], onOutcome: Deliver<R>, progress?: (running: RunningRun[], fields: Record<string, string | number>) => void) {
      if (!specs.length) return;
      await waitForRedis(address, wait, who);
      const version = queueCodeVersion();
      const tracked: Tracked[] = specs.map((spec) => {
        const data = jobDataOf(o.command, table, spec, version, dataIdentity(spec));
        return { id: jobIdOf(data), spec, data };
      });
      const byId = new Map(tracked.map((t) => [t.id, t]));
      const pending = new Map(byId);
      const running = new Map<string, { worker: string; fraction: number }>();
      const connection = connectionOf(address);
      const queue = new Queue<JobData, JobResult>(QUEUE_NAME, { connection });
      const events = new QueueEvents(QUEUE_NAME, { connection });
      // connection errors are reported by the watch, with the time it waits
      queue.on('error', () => {});
      events.on('error', () => {});
      const watch = new RedisWatch(address, wait, who, log, 'the runs finished so far stay in Redis (and in --runs DIR): run the same command again to collect them and go on');
      let chain: Promise<void> = Promise.resolve();
      let allDone!: () => void;
      const done = new Promise<void>((r) => (allDone = r));
      let workers = 0;
      const threads = new Set<number>();

      const showProgress = () => {
        if (!progress) return;
        const now = [...running].map(([id, r]) => ({ spec: byId.get(id)!.spec, fraction: r.fraction, worker: r.worker }));
        const label = now.slice(0, 3).map((r) => `${r.spec.id}@${r.worker}`).join(', ') + (now.length > 3 ? ` +${now.length - 3}` : '');
        progress(now, { workers: String(workers), running: label || '-' });
      };
      const deliver = (t: Tracked, outcome: RunOutcome<R>, seconds: number, env?: RunEnvironment) => {
        if (!pending.delete(t.id)) return; // already delivered: events and polls may repeat
        running.delete(t.id);
        if (env) threads.add(env.threads);
        chain = chain.then(() => onOutcome(t.spec, outcome, seconds, env));
        if (!pending.size) void chain.then(allDone, allDone);
      };
      const deliverJob = (t: Tracked, job: Job<JobData, JobResult>) => {
        if (!pending.has(t.id)) return;
        if (job.finishedOn && job.returnvalue) {
          const r = job.returnvalue;
          log(`  done ${t.spec.id} on ${r.worker} (${r.seconds.toFixed(1)} s${r.resumed ? ', resumed from its checkpoint' : ''})`);
          deliver(t, { ok: true, result: decodeResult<R>(r.result) }, r.seconds, r.env);
          return;
        }
        const tries = job.attemptsMade, max = job.opts.attempts ?? 1;
        const early = tries < max;
        const stalled = /stalled more than allowable limit/.test(job.failedReason ?? '');
        const why = stalled ? 'its workers stopped answering too often' : early ? 'not retried: the same error would come again' : 'no attempts left';
        const error = `${job.failedReason || 'failed'} (${tries} attempt${tries === 1 ? '' : 's'}, ${why})`;
        log(`  FAILED ${t.spec.id}: ${error}`);
        deliver(t, { ok: false, error, deterministic: early && !stalled }, ((job.finishedOn ?? 0) - (job.processedOn ?? job.finishedOn ?? 0)) / 1000);
      };
      /** look at pending jobs: deliver the finished ones, add again the ones Redis lost */
      const reconcile = async (first: boolean) => {
        const ts = [...pending.values()];
        const states = await Promise.all(ts.map((t) => queue.getJobState(t.id)));
        const missing: Tracked[] = [];
        let retried = 0, earlier = 0;
        await Promise.all(ts.map(async (t, i) => {
          const s = states[i];
          if (s === 'unknown') return void missing.push(t);
          if (s !== 'completed' && s !== 'failed') {
            if (first) earlier++;
            return;
          }
          const job = await queue.getJob(t.id);
          if (!job) return void missing.push(t);
          if (first && s === 'failed') {
            // failed in an earlier submission that did not collect it: this one asks again
            await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
            retried++;
            return;
          }
          deliverJob(t, job);
        }));
        if (missing.length) {
          if (!first) log(`${table}: ${missing.length} job(s) vanished from Redis (restarted without persistence?); adding them again`);
          await queue.addBulk(missing.map((t) => ({
            name: `${table}/${t.spec.id}`, data: t.data,
            opts: { jobId: t.id, attempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: { age: keep }, removeOnFail: { age: keep } },
          })));
        }
        if (first) {
          const collected = ts.length - pending.size;
          log(`${table}: ${specs.length} runs through ${address.label} (code ${version.slice(0, 12)}, data ${short(tracked[0]!.data.data.checksum)}): ${missing.length} added, ${collected} finished earlier, ${earlier} already queued or running${retried ? `, ${retried} failed earlier and tried again` : ''}`);
        }
      };

      events.on('active', ({ jobId }) => {
        if (!pending.has(jobId)) return;
        running.set(jobId, { worker: '?', fraction: 0 });
        void queue.getJob(jobId).then((j) => {
          const r = running.get(jobId);
          if (r && j?.processedBy) r.worker = j.processedBy;
          showProgress();
        }, () => {});
      });
      events.on('progress', ({ jobId, data }) => {
        if (!pending.has(jobId) || typeof data !== 'object' || data === null) return;
        const p = data as unknown as JobProgress;
        if (p.refused) {
          running.delete(jobId);
          log(`  ${pending.get(jobId)!.spec.id}: refused on ${p.worker}: ${p.refused}; it is back in the queue for another worker`);
          return;
        }
        running.set(jobId, { worker: p.worker, fraction: Math.max(0, Math.min(1, p.fraction)) });
        showProgress();
      });
      const fetchAndDeliver = (jobId: string) => {
        const t = pending.get(jobId);
        if (t) void queue.getJob(jobId).then((j) => j && deliverJob(t, j), () => {}); // the poll retries on error
      };
      events.on('completed', ({ jobId }) => fetchAndDeliver(jobId));
      events.on('failed', ({ jobId }) => fetchAndDeliver(jobId));
      events.on('delayed', ({ jobId }) => {
        const t = pending.get(jobId);
        if (!t) return;
        running.delete(jobId);
        void queue.getJob(jobId).then((j) => {
          if (!j) return;
          log(`  ${t.spec.id}: attempt ${j.attemptsMade} of ${j.opts.attempts} failed on ${j.processedBy ?? 'a worker'}: ${j.failedReason}; it goes back to the queue`);
        }, () => {});
      });
      events.on('stalled', ({ jobId }) => {
        const t = pending.get(jobId);
        if (!t) return;
        log(`  ${t.spec.id}: its worker (${running.get(jobId)?.worker ?? '?'}) stopped answering (killed or gone); the job goes back to the queue`);
        running.delete(jobId);
      });

      let poll: NodeJS.Timeout | null = null;
      let noWorkerSince = Date.now(), hinted = false, looking = false;
      try {
        await Promise.race([events.waitUntilReady(), watch.lost]);
        await Promise.race([reconcile(true), watch.lost]);
        poll = setInterval(() => {
          if (looking) return; // the last look still waits for Redis
          looking = true;
          void (async () => {
            workers = await queue.getWorkersCount();
            if (workers > 0) noWorkerSince = Date.now();
            else if (!hinted && Date.now() - noWorkerSince > 15_000) {
              hinted = true;
              log(`${table}: no worker is connected to ${address.label}; start one on each machine: dfa worker --queue ${address.label}`);
            }
            await reconcile(false);
            showProgress();
          })().catch(() => {}).finally(() => (looking = false)); // Redis away: the watch says so and decides
        }, pollMs);
        if (pending.size) await Promise.race([done, watch.lost]);
        await chain;
      } finally {
        if (poll) clearInterval(poll);
        watch.stop();
        await Promise.all([closeQuietly(events), closeQuietly(queue)]);
      }
      if (threads.size > 1) log(`${table}: WARNING: the runs were made with ${[...threads].sort().join(' and ')} threads per run; numbers agree to the last bit only at one thread count (dfa worker --threads T on every machine)`);
    },
  };
}
