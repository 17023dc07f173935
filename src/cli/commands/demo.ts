/**
 * `dfa demo`: the built-in comparison. One generated task (no download) trained with bp, dfa, fa
 * and shallow from the same seed; prints one table (metric, alignment, time per step) and writes
 * a report with all curves.
 */
import { join } from 'node:path';
import { initBackend } from '../../engine/backend';
import { METHODS, parseMethod } from '../../feedback';
import { getNodeTask as getTask, NODE_TASKS as TASKS } from '../../tasks/node';
import { alignmentSummary, renderReport, type ReportRun } from '../../train/report';
import { RunDir, timestampId } from '../../train/run_dir';
import type { Metric } from '../../train/task';
import { Options, parseArgs } from '../args';
import { fmtTime } from '../../command/progress';
import { readTrainOptions, runInto, TRAIN_OPTIONS_HELP } from '../train_common';

export const help = `usage: dfa demo [options]

Trains one network with each method (${METHODS.join(', ')}) on a task generated in the package,
prints a comparison table and writes runs/demo-<time>/report.html.

options:
  --task rings             ${Object.keys(TASKS).join(' | ')} (default rings)
  --methods ${METHODS.join(',')}
${TRAIN_OPTIONS_HELP}
  --out DIR                (default runs/demo-<time>)`;

export async function run(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv);
  if (positional.length) throw new Error(`dfa demo: unexpected argument '${positional[0]}' (use --task)`);
  const o = new Options(options, 'dfa demo');
  const taskName = o.str('task', 'rings');
  const spec = getTask(taskName);
  const methods = o.list('methods', [...METHODS]).map(parseMethod);
  const setups = methods.map((m) => readTrainOptions(o, spec, m));
  const out = o.str('out') ?? join('runs', `demo-${timestampId()}`);
  o.done();
  const backend = await initBackend();
  console.error(`dfa demo: ${taskName} (${spec.summary}) on ${backend.name}, seed ${setups[0]!.cfg.seed} -> ${out}`);
  const root = new RunDir(out);
  const runs: ReportRun[] = [];
  const t0 = performance.now();
  for (const s of setups) {
    const result = await runInto(new RunDir(join(out, s.cfg.method)), spec, taskName, s);
    runs.push({ label: s.cfg.method, result, config: { task: taskName, ...s } });
  }
  const metric = root.readJsonOr<{ metric: Metric }>(join(setups[0]!.cfg.method, 'result.json'))?.metric ?? { name: 'metric', higherIsBetter: true };
  const head = ['method', `test ${metric.name}`, 'best epoch', 'alignment with BP (mean ± std per point)', 'ms/step'];
  const body = runs.map((r) => [r.label, r.result.testAtBest.toFixed(2), String(r.result.bestEpoch), alignmentSummary(r.result), r.result.msPerStep.toFixed(2)]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i]!)).join('  ');
  console.log(`\n${taskName}: ${spec.summary}; ${backend.name} backend, ${fmtTime((performance.now() - t0) / 1000)}`);
  console.log([line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n'));
  root.writeJson('result.json', { task: taskName, metric, backend: backend.name, methods: runs.map((r) => ({ method: r.label, ...r.result })) });
  root.writeText('report.html', renderReport(runs, {
    title: `dfa demo: ${taskName}, ${methods.join(' / ')}`,
    metricName: metric.name,
    meta: { task: `${taskName}: ${spec.summary}`, backend: backend.name, seed: setups[0]!.cfg.seed },
  }));
  console.log(`\nreport: ${root.file('report.html')}`);
  return 0;
}
