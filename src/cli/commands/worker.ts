/**
 * `dfa worker --queue redis://HOST:PORT`: runs the jobs of `dfa reproduce <table> --queue ...` (and
 * of any command built on an Experiment) on this machine, finding each table's Experiment through
 * the suites' manifests. The work itself is src/command/queue/run_worker.ts.
 */
import { defineCommand } from '../../command/command';
import { DeterministicRunError, type Experiment } from '../../command/experiment';
import { experimentOf } from '../../command/experiment_command';
import { UsageError, type IntOption, type StringOption } from '../../command/options';
import { runWorker } from '../../command/queue/run_worker';
import { parseQueueUrl } from '../../command/queue/url';
import { dataOption, threadsOption } from '../../command/shared';
import { allCommands } from '../dispatch';
import { reproducibleTables } from './reproduce';

/** The Experiment behind a command as typed after `dfa` ('reproduce table5', 'search'), through the manifests. */
export async function loadExperiment(command: string): Promise<Experiment<unknown, unknown>> {
  const [head, table] = command.split(' ');
  const entry = head === 'reproduce' ? reproducibleTables().get(table ?? '') : allCommands()[head ?? ''];
  if (!entry) throw new DeterministicRunError(`this worker has no command 'dfa ${command}'`);
  const exp = experimentOf(await entry.load());
  if (!exp) throw new DeterministicRunError(`'dfa ${command}' is not built on an Experiment in this version, so it cannot run through a queue`);
  return exp;
}

export default defineCommand({
  name: 'worker',
  summary: "run the jobs of 'dfa reproduce <table> --queue redis://HOST:PORT' on this machine (same code and data as the submitter)",
  description: `Takes one run at a time (or --concurrency N) from the queue in Redis and runs it in a child
process with --threads T threads, printing what it runs. A job made with another commit or other
data is refused (WorkerMismatchError) and the worker stops. A worker killed in the middle of a
job (kill -9, machine lost) leaves the job to another worker after --lock seconds, which resumes
it from the run's checkpoint when it can reach the same --checkpoints folder (tables that
checkpoint), else runs it again. Ctrl-C finishes the running jobs and stops; twice stops now.
For numbers identical to the last bit, give every worker the same --threads (and the same
machine type for the native backend).`,
  options: {
    queue: { type: 'string', placeholder: 'redis://HOST:PORT', help: 'the Redis holding the jobs (required)' } satisfies StringOption,
    concurrency: { type: 'int', min: 1, max: 256, default: 1, help: 'jobs at a time (each in its own process)' } satisfies IntOption,
    threads: threadsOption,
    data: dataOption('the data folder the runs read (default $DFA_DATA, else the shared data beside the repository): it must be identical to the submitter\'s'),
    checkpoints: { type: 'path', kind: 'out-dir', help: "one checkpoint folder per running job under DIR (default <tmp>/dfa-worker-checkpoints); a shared folder lets another machine resume a killed worker's job" },
    'queue-wait': { type: 'int', min: 1, max: 86_400, default: 30, placeholder: 'SECONDS', help: 'how long to wait for Redis at the start, or after losing it, before exiting' } satisfies IntOption,
    lock: { type: 'int', min: 1, max: 3600, default: 30, placeholder: 'SECONDS', help: 'a job whose worker stops answering for this long goes back to the queue' } satisfies IntOption,
  },
  validate({ options: o }) {
    if (o.queue === undefined) throw new UsageError('dfa worker: --queue redis://HOST:PORT is required (the Redis the submitter uses)');
    parseQueueUrl(o.queue, 'dfa worker');
  },
  async run({ options: o }) {
    const code = await runWorker({
      url: o.queue!, loader: import.meta.url, concurrency: o.concurrency, threads: o.threads, data: o.data,
      checkpoints: o.checkpoints, wait: o['queue-wait'], lockSeconds: o.lock,
    });
    return code;
  },
});
