/** Child processes for the queue's tests: workers and `dfa` commands, with their output kept. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/data/paths';
import type { RunEnvironment } from '../../src/command/environment';
import type { RunOutcome, RunSpec } from '../../src/command/experiment';
import type { RunExecutor } from '../../src/command/run_experiment';

export interface Proc {
  child: ChildProcess;
  /** stdout and stderr so far */
  output(): string;
  exited: Promise<number | null>;
}

export function startProcess(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, DFA_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/** A worker of the synthetic experiment (test/queue/worker_main.ts). */
export function startTestWorker(url: string, checkpoints: string, env: Record<string, string> = {}, lockSeconds = 2, waitSeconds = 2): Proc {
  return startProcess(['--import', 'tsx', join('test', 'queue', 'worker_main.ts'), url, String(lockSeconds), String(waitSeconds)], { DFA_TEST_CHECKPOINTS: checkpoints, ...env });
}

/** `dfa ...` as a user types it. */
export function startDfa(argv: string[], env: Record<string, string> = {}): Proc {
  return startProcess([join('bin', 'dfa.mjs'), ...argv], env);
}

export async function until(pred: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Counts how often an executor hands each run's outcome over. */
export function counting(ex: RunExecutor, counts: Map<string, number>): RunExecutor {
  return {
    execute<R>(table: string, specs: RunSpec[], onOutcome: (spec: RunSpec, outcome: RunOutcome<R>, seconds: number, env?: RunEnvironment) => Promise<void>, progress?: Parameters<RunExecutor['execute']>[3]) {
      return ex.execute<R>(table, specs, async (sp, o: RunOutcome<R>, s, env) => {
        counts.set(sp.id, (counts.get(sp.id) ?? 0) + 1);
        await onOutcome(sp, o, s, env);
      }, progress);
    },
  };
}

/** Alive? (signal 0 checks without sending anything) */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
