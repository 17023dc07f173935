/**
 * Fuzzed loaders (issue 18): every loader gets DFA_FUZZ_RUNS (default 1,000) mutated inputs, built
 * from valid seeds (real shared data where small), and must load each or refuse it with an error
 * naming the file and the problem; zero unnamed errors. The loaders run in a child process (memory
 * capped), with a watchdog that stops a case running past DFA_FUZZ_HANG_MS; a crash or hang names
 * the case. Counts per loader are printed.
 *
 * More cases: DFA_FUZZ_RUNS=100000 (a random seed then, printed; DFA_FUZZ_SEED=N replays one).
 * Only some loaders: DFA_FUZZ_ONLY=png,npy.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FuzzCounts } from './harness';
import { TARGETS } from './registry';
import { sharedDataDir } from '../../src/data/paths';

const RUNS = Number(process.env.DFA_FUZZ_RUNS ?? 1000);
const SEED = process.env.DFA_FUZZ_SEED !== undefined ? Number(process.env.DFA_FUZZ_SEED) : process.env.DFA_FUZZ_RUNS ? Date.now() % 2 ** 31 : 18;
const HANG_MS = Number(process.env.DFA_FUZZ_HANG_MS ?? 30_000);
const ONLY = process.env.DFA_FUZZ_ONLY?.split(',');
// The loaders are plain JS over bytes (no tensors): the cpu pass would repeat the same cases.
const skip = process.env.DFA_BACKEND === 'cpu' ? 'loaders are backend-independent JS: fuzzed once, on the native pass'
  : !existsSync(sharedDataDir()) ? `the fuzz seeds are the shared data (${sharedDataDir()} is missing)` : false;

/** Starts one child that fuzzes `names` in turn; the promise of each loader's counts. */
function fuzzInChild(names: string[], work: string): Map<string, Promise<FuzzCounts>> {
  const pending = new Map<string, { resolve(c: FuzzCounts): void; reject(e: Error): void }>();
  const out = new Map<string, Promise<FuzzCounts>>();
  for (const n of names) {
    const p = new Promise<FuzzCounts>((resolve, reject) => pending.set(n, { resolve, reject }));
    p.catch(() => {}); // each test awaits its own; a loader whose test never runs must not crash the file
    out.set(n, p);
  }
  const child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [names.join(','), String(RUNS), String(SEED), work], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=2048'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let current = names[0]!;
  let last = 'starting';
  let stderr = '';
  let timer: NodeJS.Timeout | undefined;
  const replay = (t: string) => `replay with DFA_FUZZ_SEED=${SEED} DFA_FUZZ_ONLY=${t}`;
  const settle = (t: string, f: (p: { resolve(c: FuzzCounts): void; reject(e: Error): void }) => void) => {
    const p = pending.get(t);
    pending.delete(t);
    if (p) f(p);
  };
  const failAll = (why: (t: string) => string) => {
    clearTimeout(timer);
    for (const t of [...pending.keys()]) settle(t, (p) => p.reject(new Error(why(t))));
  };
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      failAll((t) => (t === current ? `${t}: ${last} did not finish within ${HANG_MS} ms (a hang); ${replay(t)}` : `${t}: not run (${current} hung)`));
    }, HANG_MS);
  };
  arm();
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  child.on('message', (m: { type: string; target: string; i?: number; what?: string; counts?: FuzzCounts; message?: string }) => {
    current = m.target;
    if (m.type === 'case') {
      last = m.i! < 0 ? 'loading the seeds' : `case ${m.i} (${m.what})`;
      arm();
    } else if (m.type === 'done') settle(m.target, (p) => p.resolve(m.counts!));
    else settle(m.target, (p) => p.reject(new Error(`${m.message}\n${replay(m.target)}`)));
  });
  child.on('exit', (code, signal) => failAll((t) => (t === current
    ? `${t}: the process died (${signal ?? `exit ${code}`}) at ${last}; ${replay(t)}\n${stderr.slice(0, 1500)}`
    : `${t}: not run (the process died at ${current})`)));
  return out;
}

const NAMES = Object.keys(TARGETS).filter((n) => !ONLY || ONLY.includes(n));
let work: string | undefined;
let results: Map<string, Promise<FuzzCounts>> | undefined;
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

for (const name of NAMES) {
  test(`fuzz: ${name} loads or names the file and the problem (${RUNS} mutated inputs)`, { skip }, async (t) => {
    work ??= mkdtempSync(join(tmpdir(), 'dfa-fuzz-'));
    results ??= fuzzInChild(NAMES, work);
    const c = await results.get(name)!;
    t.diagnostic(`${name}: ${c.cases} cases, ${c.loaded} loaded, ${c.refused} refused with a named error, ${c.unnamed} unnamed (slowest ${c.slowestMs.toFixed(0)} ms, seed ${c.seed})`);
    assert.equal(c.unnamed, 0);
    assert.ok(c.cases >= RUNS, `${c.cases} cases < ${RUNS}`);
  });
}
