/**
 * `dfa demo`: the built-in comparison. One generated task (no download) trained with bp, dfa, fa
 * and shallow from the same seed; prints one table (metric, alignment, time per step) and writes
 * a report with all curves.
 */
import { join } from 'node:path';
import { defineCommand } from '../../command/command';
import { fmtTime } from '../../command/progress';
import { initBackend } from '../../engine/backend';
import { BASE_METHODS, isDirect, METHODS, parseMethod } from '../../feedback';
import { getNodeTask as getTask, NODE_TASKS as TASKS } from '../../tasks/node';
import { alignmentSummary, renderReport, type ReportRun } from '../../train/report';
import { RunDir, timestampId } from '../../train/run_dir';
import type { Metric } from '../../train/task';
import { checkSignalOptions, runInto, signalOptions, trainSetup, TRAIN_OPTIONS } from '../train_common';

export default defineCommand({
  name: 'demo',
  summary: 'train one network with each method side by side and print the comparison',
  description: `Trains one network with each method (${BASE_METHODS.join(', ')} by default) on a task generated in the
package, prints a comparison table and writes runs/demo-<time>/report.html. --projection, --density,
--error-bits and --noise shape the direct methods' signal (dfa, drtp); the others run as usual.`,
  options: {
    task: { type: 'enum', choices: Object.keys(TASKS), default: 'rings', help: 'the task' },
    methods: { type: 'list', of: 'enum', choices: METHODS, default: BASE_METHODS, help: 'methods to compare' },
    out: { type: 'path', kind: 'out-dir', help: 'folder for the runs and the report (default runs/demo-<time>)' },
    ...TRAIN_OPTIONS,
  },
  validate: ({ options: o }) => checkSignalOptions('dfa demo', o, o.methods.map(parseMethod)),
  async run({ options: o }) {
    const taskName = o.task;
    const spec = getTask(taskName);
    const methods = o.methods.map(parseMethod);
    const setups = methods.map((m) => trainSetup(o, spec, m));
    const out = o.out ?? join('runs', `demo-${timestampId()}`);
    const backend = await initBackend();
    const signal = signalOptions(o);
    const signalNote = signal ? `; ${methods.filter(isDirect).join(', ')} with ${Object.entries(signal).map(([k, v]) => `${k} ${v}`).join(', ')}` : '';
    console.error(`dfa demo: ${taskName} (${spec.summary}) on ${backend.name}, seed ${setups[0]!.cfg.seed}${signalNote} -> ${out}`);
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
    console.log(`\n${taskName}: ${spec.summary}; ${backend.name} backend, ${fmtTime((performance.now() - t0) / 1000)}${signalNote}`);
    console.log([line(head), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)].join('\n'));
    root.writeJson('result.json', { task: taskName, metric, backend: backend.name, methods: runs.map((r) => ({ method: r.label, ...r.result })) });
    root.writeText('report.html', renderReport(runs, {
      title: `dfa demo: ${taskName}, ${methods.join(' / ')}`,
      metricName: metric.name,
      meta: { task: `${taskName}: ${spec.summary}`, backend: backend.name, seed: setups[0]!.cfg.seed },
    }));
    console.log(`\nreport: ${root.file('report.html')}`);
    return 0;
  },
});
