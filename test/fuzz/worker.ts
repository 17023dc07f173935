/**
 * Fuzzes loaders in a child process, one after another: the test's watchdog can stop a case that
 * never ends (a busy loop cannot be interrupted from inside), and a case that crashes V8 or runs
 * out of memory takes only this process down, with the case named. Messages to the parent:
 * {type: 'case', target, i, what} before each case, then per loader {type: 'done', target, counts}
 * or {type: 'fail', target, message}.
 */
import { join } from 'node:path';
import { fuzzTarget } from './harness';
import { TARGETS } from './registry';

const [list, runs, seed, work] = process.argv.slice(2) as [string, string, string, string];
const send = (m: unknown) => new Promise<void>((resolve) => process.send!(m, () => resolve()));
for (const target of list.split(',')) {
  try {
    await send({ type: 'case', target, i: -1, what: 'loading the seeds' });
    const t = await TARGETS[target]!();
    const counts = await fuzzTarget(t, join(work, target), { runs: Number(runs), seed: Number(seed), onCase: (i, what) => process.send!({ type: 'case', target, i, what }) });
    await send({ type: 'done', target, counts });
  } catch (e) {
    const err = e as Error & { cause?: Error };
    await send({ type: 'fail', target, message: `${err?.message ?? String(e)}${err?.cause ? `\ncause: ${err.cause.message}` : ''}` });
  }
}
process.disconnect();
