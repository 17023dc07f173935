/**
 * The job queue's cost and gain (`dfa bench queue`): a grid of short Table 5 runs (11 cells × the
 * seeds, tiny model) produced three ways, all at one thread per run: locally (`dfa reproduce table5`,
 * one process, runs one after another), and through a private Redis with 1 and with 2 `dfa
 * worker`s (started and connected before the clock starts; their job processes start on the
 * first job, inside the timing). For each: wall time from the submitter's start to its exit, the
 * sum of the runs' own seconds (from --runs), the time to the first result (process starts, data
 * preparation, the job processes' start), and the time per job after the first (from the first
 * result to the last, as the results arrive): the queue's overhead per job is that time through
 * the queue with 1 worker minus the local one. Speed-up: 1 worker's wall / N workers' wall.
 * Also checks that the tables have the same numbers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineCommand } from '../src/command/command';
import { epochsOption } from '../src/command/shared';
import { localRedisMissing, startLocalRedis } from '../src/command/queue/local_redis';
import { REPO_ROOT } from '../src/data/paths';
import { printTable, writeJson } from './report';
import { benchJson, countOption } from './options';

export const command = defineCommand({
  name: 'bench queue',
  summary: 'Wall time of a grid of short Table 5 runs locally and through the job queue with 1 and 2 workers (one thread per run), the time per job around the runs, and the speed-up of 2 workers over 1.',
  description: `Needs redis-server (Debian: apt-get install redis-server); starts a private one on a free port.
Run it alone: the machine's cores are shared.`,
  options: {
    seeds: { type: 'int', min: 1, max: 1000, default: 2, placeholder: 'N', help: 'seeds per cell: 11·N runs' },
    steps: countOption(20, 'training steps per epoch of each run'),
    epochs: epochsOption(2, 'epochs per run'),
    workers: { type: 'list', of: 'int', min: 1, default: [1, 2], help: 'worker counts to time' },
    json: benchJson,
  },
  run: ({ options: o }) => run(o.seeds, o.steps, o.epochs, o.workers, o.json),
});

interface Timed {
  config: string;
  wall: number;
  runSeconds: number;
  jobs: number;
  /** seconds from the start to the first result */
  firstResult: number;
  /** seconds per result from the first to the last */
  perJobAfterFirst: number;
  load: number;
}

const tiny = ['--vocab', '256', '--d', '16', '--layers', '2', '--heads', '2', '--ffn', '32', '--ctx', '16', '--batch', '4', '--valid-chunks', '8'];
const ENV = { DFA_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };

/** A `dfa` process; `mark` times (performance.now(), ms) the output lines matching `result`. */
function start(argv: string[], result?: RegExp): { child: ChildProcess; output: () => string; exited: Promise<number | null>; marks: number[] } {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'dfa.mjs'), ...argv], { cwd: REPO_ROOT, env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const marks: number[] = [];
  const take = (b: Buffer) => {
    const text = b.toString();
    out += text;
    if (result) for (const line of text.split('\n')) if (result.test(line)) marks.push(performance.now());
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  return { child, output: () => out, exited: new Promise((r) => child.once('exit', (c) => r(c))), marks };
}

/** Runs `dfa reproduce table5 ...` to the end: wall time, results' arrival, the sum of the runs' seconds. */
async function timeTable(config: string, argv: string[], runs: string, result: RegExp): Promise<Timed> {
  const t0 = performance.now();
  const p = start(argv, result);
  const code = await p.exited;
  const wall = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`dfa bench queue: ${config} exited ${code}:\n${p.output().slice(-3000)}`);
  const dir = join(runs, 'table5');
  const seconds = readdirSync(dir).map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { seconds: number }).seconds);
  const m = p.marks;
  if (m.length !== seconds.length) throw new Error(`dfa bench queue: ${config}: saw ${m.length} results arrive for ${seconds.length} runs`);
  return {
    config, wall, runSeconds: seconds.reduce((a, b) => a + b, 0), jobs: seconds.length,
    firstResult: (m[0]! - t0) / 1000, perJobAfterFirst: (m.at(-1)! - m[0]!) / 1000 / Math.max(1, m.length - 1), load: loadavg()[0]!,
  };
}

/** a finished run: table5's own line locally, the submitter's through the queue */
const LOCAL_RESULT = /^\s+\S+ seed \d+: (best valid ppl|.*diverged)/;
const QUEUE_RESULT = /^\s+(done|FAILED) \S+/;

/** The table's numbers without the timings. */
function numbers(file: string): string {
  const strip = (v: unknown): unknown => Array.isArray(v) ? v.map(strip)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !['seconds', 'tokensPerSecond', 'env'].includes(k)).map(([k, x]) => [k, strip(x)])) : v;
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { rows: unknown; runs: unknown };
  return JSON.stringify(strip({ rows: doc.rows, runs: doc.runs }));
}

async function run(seeds: number, steps: number, epochs: number, counts: number[], json: string | undefined): Promise<number> {
  const missing = localRedisMissing();
  if (missing) throw new Error(`dfa bench queue: ${missing}`);
  const grid = ['reproduce', 'table5', ...tiny, '--seeds', String(seeds), '--steps', String(steps), '--epochs', String(epochs)];
  const dir = mkdtempSync(join(tmpdir(), 'dfa-bench-queue-'));
  const results: Timed[] = [];
  const tables: Record<string, string> = {};
  try {
    console.log(`dfa bench queue: Table 5 grid of ${11 * seeds} runs (${epochs} epochs × ${steps} steps, tiny model), 1 thread per run; load average ${loadavg()[0]!.toFixed(1)} on this machine`);
    const local = join(dir, 'local');
    results.push(await timeTable('local (1 process)', [...grid, '--json', join(local, 'table.json'), '--runs', local], local, LOCAL_RESULT));
    tables.local = numbers(join(local, 'table.json'));
    console.log(`  local: ${results.at(-1)!.wall.toFixed(1)} s`);
    for (const n of counts) {
      const redis = await startLocalRedis();
      const workers = Array.from({ length: n }, () => start(['worker', '--queue', redis.url, '--threads', '1', '--checkpoints', join(dir, `ck${n}`)]));
      try {
        // connected: each has printed its banner and found Redis (a worker exits if it cannot)
        const t0 = Date.now();
        while (!workers.every((w) => /^dfa worker .*checkpoints in/m.test(w.output()))) {
          if (workers.some((w) => w.child.exitCode !== null)) throw new Error(`a worker exited:\n${workers.map((w) => w.output()).join('\n')}`);
          if (Date.now() - t0 > 60_000) throw new Error('workers did not start within 60 s');
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 1000)); // their blocking fetch is in place
        const out = join(dir, `queue${n}`);
        results.push(await timeTable(`queue, ${n} worker${n > 1 ? 's' : ''}`, [...grid, '--json', join(out, 'table.json'), '--runs', out, '--queue', redis.url], out, QUEUE_RESULT));
        tables[`queue${n}`] = numbers(join(out, 'table.json'));
        console.log(`  ${results.at(-1)!.config}: ${results.at(-1)!.wall.toFixed(1)} s`);
      } finally {
        for (const w of workers) w.child.kill('SIGKILL');
        await Promise.all(workers.map((w) => w.exited));
        await redis.stop(true);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const one = results.find((r) => r.config.startsWith('queue, 1 '));
  console.log('');
  printTable(['configuration', 'jobs', 'wall s', 'Σ run s', 'first result s', 's/job after it', 'speed-up vs 1 worker', 'load avg'],
    results.map((r) => [r.config, r.jobs, r.wall, r.runSeconds, r.firstResult, r.perJobAfterFirst, one && r.config.startsWith('queue') ? one.wall / r.wall : NaN, r.load]));
  const loc = results[0]!;
  if (one) {
    console.log(`\nqueue overhead per job (1 worker vs local, after the first result): ${(one.perJobAfterFirst - loc.perJobAfterFirst).toFixed(3)} s, beside ${loc.perJobAfterFirst.toFixed(3)} s per job locally`);
    console.log(`queue's extra start (to the first result): ${(one.firstResult - loc.firstResult).toFixed(1)} s (the worker's job process: tsx, tfjs, the table's data)`);
  }
  const same = Object.values(tables).every((t) => t === tables.local);
  console.log(`same numbers in every table: ${same ? 'yes' : 'NO'}`);
  writeJson(json, { bench: 'queue', seeds, steps, epochs, jobs: loc.jobs, results, sameNumbers: same });
  return same ? 0 : 1;
}
