/**
 * The job queue end to end, on a private redis-server per test: workers are child processes (the
 * real `dfa worker` for Table 5, test/queue/worker_main.ts for the synthetic experiment), the
 * submitter is `dfa reproduce ... --queue` or produce() in this process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hasSharedData } from '../../data/paths';
import { withTempDir } from '../../../test/helpers';
import { alive, counting, startDfa, startTestWorker, until, type Proc } from '../../../test/queue/processes';
import { expectedValue, SYNTHETIC, type SyntheticOptions, type SyntheticResult } from '../../../test/queue/synthetic';
import { UsageError } from '../options';
import { produce } from '../run_experiment';
import { decodeResult, encodeResult } from './codec';
import { dataChecksum } from './data_checksum';
import { localRedisMissing, startLocalRedis, type LocalRedis } from './local_redis';
import { queueExecutor, type QueueExecutorOptions } from './submit';
import { parseQueueUrl } from './url';

const skip = localRedisMissing() ?? false;

async function withRedis<T>(f: (r: LocalRedis) => Promise<T>): Promise<T> {
  const r = await startLocalRedis();
  try {
    return await f(r);
  } finally {
    await r.stop(true);
  }
}

/** produce() of the synthetic table through the queue, counting deliveries and keeping the submitter's log */
function submit(url: string, o: SyntheticOptions, extra: Partial<QueueExecutorOptions> & { runs?: string; json?: string } = {}) {
  const counts = new Map<string, number>();
  const lines: string[] = [];
  const ex = queueExecutor({ url, command: 'test synthetic', wait: 2, attempts: 3, backoffMs: 200, pollMs: 500, log: (m) => lines.push(m), ...extra });
  const done = produce(SYNTHETIC, o, { executor: counting(ex, counts), runs: extra.runs, json: extra.json });
  return { done, counts, log: () => lines.join('\n') };
}

async function stopAll(ps: Proc[]): Promise<void> {
  for (const p of ps) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(ps.map((p) => p.exited));
}

test('--queue addresses are checked before any work; codec keeps NaN and ±Infinity', () => {
  assert.deepEqual(parseQueueUrl('redis://10.0.0.5:6380/2'), { host: '10.0.0.5', port: 6380, db: 2, label: 'redis://10.0.0.5:6380/2' });
  assert.equal(parseQueueUrl('redis://:secret@h:1').password, 'secret');
  assert.ok(!parseQueueUrl('redis://:secret@h:1').label.includes('secret'));
  for (const [u, re] of [['localhost:6379', /not a redis:\/\/ address/], ['http://h:1', /not a redis:\/\/ address/], ['redis://h:1/x', /database number/], ['nonsense', /not a URL/]] as const) {
    assert.throws(() => parseQueueUrl(u, 'dfa x'), (e: Error) => e instanceof UsageError && re.test(e.message), u);
  }
  const v = { a: NaN, b: [1, Infinity, -Infinity], c: { d: null, e: 'NaN' } };
  assert.deepEqual(decodeResult(JSON.parse(JSON.stringify(encodeResult(v)))), v);
});

test('the data checksum: equal for identical copies in other folders, different when a file or a name differs', () => withTempDir((dir) => {
  const copy = (name: string, files: Record<string, string>) => {
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name, f)), { recursive: true });
      writeFileSync(join(dir, name, f), text);
    }
    return dataChecksum(join(dir, name))!.checksum;
  };
  const base = { 'cora/x.bin': 'abc', 'text/input.txt': 'to be' };
  const a = copy('a', base);
  assert.equal(copy('b', base), a);
  assert.notEqual(copy('c', { ...base, 'text/input.txt': 'to bee' }), a);
  assert.notEqual(copy('d', { 'cora/y.bin': 'abc', 'text/input.txt': 'to be' }), a);
  assert.equal(dataChecksum(join(dir, 'none')), null);
}));

test('an unreachable Redis is a named error after --queue-wait', { skip }, async () => {
  const r = await startLocalRedis();
  await r.stop(true); // a port where nothing listens now
  const t0 = Date.now();
  const s = submit(r.url, { runs: 1, steps: 1, stepMs: 1 }, { wait: 1 });
  await assert.rejects(s.done, /QueueUnavailableError: dfa test synthetic cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+ .*after waiting 1 s/);
  assert.ok(Date.now() - t0 < 5000);
});

test('Table 5 (4 cells) through the queue on two `dfa worker`s gives the JSON of the local run (1 thread each)', { skip: skip || (!hasSharedData('text/tinyshakespeare') && 'needs the shared Tiny Shakespeare') }, () => withRedis((redis) => withTempDir(async (dir) => {
  const tiny = ['reproduce', 'table5', '--vocab', '256', '--d', '16', '--layers', '2', '--heads', '2', '--ffn', '32', '--ctx', '16', '--batch', '4', '--epochs', '2', '--steps', '5', '--valid-chunks', '8', '--cells', 'bp-baseline,macro-adam,micro-plateau,shallow-baseline'];
  const workers = [0, 1].map(() => startDfa(['worker', '--queue', redis.url, '--threads', '1', '--checkpoints', join(dir, 'ck'), '--queue-wait', '5']));
  const local = startDfa([...tiny, '--json', join(dir, 'local.json')]);
  const queued = startDfa([...tiny, '--json', join(dir, 'queue.json'), '--queue', redis.url, '--runs', join(dir, 'runs')]);
  try {
    assert.equal(await local.exited, 0, local.output());
    assert.equal(await queued.exited, 0, queued.output());
  } finally {
    await stopAll(workers);
  }
  // timings differ from run to run; every number the table is made of must not
  const strip = (v: unknown): unknown => Array.isArray(v) ? v.map(strip)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !['seconds', 'tokensPerSecond', 'env'].includes(k)).map(([k, x]) => [k, strip(x)])) : v;
  const read = (f: string) => strip(JSON.parse(readFileSync(join(dir, f), 'utf8')));
  assert.deepEqual(read('queue.json'), read('local.json'));
  assert.match(queued.output(), /4 runs through redis:\/\/127\.0\.0\.1:\d+ .*4 added/);
  // each run stored once, with the environment of the worker that ran it
  const stored = readdirSync(join(dir, 'runs', 'table5')).map((f) => JSON.parse(readFileSync(join(dir, 'runs', 'table5', f), 'utf8')) as { env: { threads: number; host: string } });
  assert.equal(stored.length, 4);
  assert.ok(stored.every((s) => s.env.threads === 1));
  const ran = workers.map((w) => (w.output().match(/^done {2}table5 /gm) ?? []).length);
  assert.equal(ran[0]! + ran[1]!, 4, workers.map((w) => w.output()).join('\n----\n'));
})));

test('a worker killed by kill -9 during a job: another resumes it from its checkpoint; every run once, same numbers; a restarted submitter collects them', { skip }, () => withRedis((redis) => withTempDir(async (dir) => {
  const o: SyntheticOptions = { runs: 4, steps: 6, stepMs: 100 };
  const workers = [0, 1].map(() => startTestWorker(redis.url, join(dir, 'ck')));
  const s = submit(redis.url, o, { runs: join(dir, 'runs') });
  const started = (w: Proc) => /synthetic (cell\d\/seed0): pid (\d+)/.exec(w.output());
  try {
    // kill the first worker to start a job once it is a few steps into it
    await until(() => workers.some(started), 60_000, 'a first job');
    const a = workers.find(started)!, b = workers.find((w) => w !== a)!;
    const [, victim, childPid] = started(a)!;
    await new Promise((r) => setTimeout(r, 300));
    a.child.kill('SIGKILL');
    await a.exited;
    const summary = await s.done;
    assert.deepEqual([...s.counts.values()], [1, 1, 1, 1], 'each outcome delivered exactly once');
    for (let i = 0; i < o.runs; i++) {
      const out = summary.outcomes.get(`cell${i}/seed0`);
      assert.ok(out?.ok, `cell${i}: ${JSON.stringify(out)}`);
      assert.equal(out.result.value, expectedValue(i, o.steps), `cell${i}`);
    }
    const resumed = summary.outcomes.get(victim!) as { ok: true; result: SyntheticResult };
    assert.ok(resumed.result.resumedFrom > 0, `${victim} should resume from its checkpoint: ${JSON.stringify(resumed.result)}\n${b.output()}`);
    assert.ok(!alive(Number(childPid)), 'the killed worker left no job process behind');
    assert.match(s.log(), new RegExp(`${victim!.replace('/', '\\/')}: its worker .* stopped answering`));
    assert.equal(readdirSync(join(dir, 'runs', 'synthetic')).length, o.runs);
    // a submitter started again finds them all finished: nothing is run again
    const again = submit(redis.url, o);
    const second = await again.done;
    assert.match(again.log(), /0 added, 4 finished earlier/);
    for (const [id, out] of summary.outcomes) assert.deepEqual(second.outcomes.get(id), out, id);
  } finally {
    await stopAll(workers);
  }
})));

test('a worker of another version refuses the job (WorkerMismatchError) and stops, the submitter reports it; failures: a DeterministicRunError is not retried, the same error twice stops, both in the notes', { skip }, () => withRedis((redis) => withTempDir(async (dir) => {
  const stale = startTestWorker(redis.url, join(dir, 'ck'), { DFA_CODE_VERSION: 'an-older-commit' });
  let good: Proc | null = null;
  try {
    const s = submit(redis.url, { runs: 3, steps: 2, stepMs: 10, fail: { cell1: 'deterministic', cell2: 'same' } });
    assert.equal(await stale.exited, 4, stale.output());
    assert.match(stale.output(), /WorkerMismatchError: worker \S+ runs code an-older-commit, the job was submitted with \S+/);
    await until(() => /refused on .*WorkerMismatchError/.test(s.log()), 10_000, "the submitter's report of the refusal");
    good = startTestWorker(redis.url, join(dir, 'ck'));
    const r = await s.done;
    const out = r.outcomes.get('cell0/seed0');
    assert.ok(out?.ok && out.result.value === expectedValue(0, 2), JSON.stringify(out));
    assert.deepEqual(r.failed, ['cell1/seed0', 'cell2/seed0']);
    const notes = r.assembled.notes!.join('\n');
    assert.match(notes, /cell1\/seed0 failed: cell1: settings that cannot work \(1 attempt, not retried/);
    assert.match(notes, /cell2\/seed0 failed: cell2: the same failure every time \(2 attempts, not retried/);
  } finally {
    await stopAll([stale, ...(good ? [good] : [])]);
  }
})));

test('Redis stopped in the middle: the submitter and the worker stop with QueueConnectionLostError', { skip }, () => withTempDir(async (dir) => {
  const redis = await startLocalRedis();
  const w = startTestWorker(redis.url, join(dir, 'ck'), {}, 2, 1);
  try {
    const s = submit(redis.url, { runs: 1, steps: 100, stepMs: 100 }, { wait: 1 });
    await until(() => /synthetic cell0\/seed0: pid/.test(w.output()), 60_000, 'the job to start');
    await redis.stop(true);
    await assert.rejects(s.done, /QueueConnectionLostError: dfa test synthetic lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+ .*did not come back within 1 s/);
    assert.notEqual(await w.exited, 0);
    assert.match(w.output(), /QueueConnectionLostError: dfa worker \S+ lost the connection to Redis/);
  } finally {
    await stopAll([w]);
    await redis.stop(true);
  }
}));
