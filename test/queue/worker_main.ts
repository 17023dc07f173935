/**
 * A test worker process: `node --import tsx test/queue/worker_main.ts URL [LOCK_SECONDS] [WAIT_SECONDS]`
 * runs src/command/queue/run_worker.ts with the synthetic experiment's loader, checkpoints in
 * $DFA_TEST_CHECKPOINTS, one job at a time, one thread.
 */
import { runWorker } from '../../src/command/queue/run_worker';

const [url, lock = '2', wait = '2'] = process.argv.slice(2);
try {
  process.exitCode = await runWorker({
    url: url!, loader: new URL('./loader.ts', import.meta.url).href, concurrency: 1, threads: 1,
    checkpoints: process.env.DFA_TEST_CHECKPOINTS, lockSeconds: Number(lock), wait: Number(wait),
  });
} catch (e) {
  console.error(`worker: ${(e as Error).message}`);
  process.exitCode = 1;
}
