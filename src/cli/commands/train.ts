/** `dfa train <task> --method bp|dfa|fa|shallow --seed N ...`: one training run into runs/<id>/. */
import { join } from 'node:path';
import { defineCommand } from '../../command/command';
import { UsageError } from '../../command/options';
import { initBackend } from '../../engine/backend';
import { METHODS, parseMethod } from '../../feedback';
import { getNodeTask as getTask, NODE_TASKS as TASKS } from '../../tasks/node';
import { renderReport } from '../../train/report';
import { RunDir, timestampId } from '../../train/run_dir';
import type { Metric } from '../../train/task';
import type { TrainResult } from '../../train/trainer';
import { checkSignalOptions, runInto, trainSetup, TRAIN_OPTIONS, type TrainSetup } from '../train_common';

interface SavedConfig extends TrainSetup {
  task: string;
}

export default defineCommand({
  name: 'train',
  summary: 'train one network with one method on a built-in task; writes runs/<id>/',
  description: `Trains one network and writes runs/<id>/: config.json, metrics.jsonl (per epoch), result.json,
report.html and a checkpoint (weights, optimizer state, feedback matrices, RNG state). Running it
again with the same --out resumes the run (same settings only: others are refused, naming each);
--resume runs/<id> continues a stopped run with the settings in its config.json.

tasks:
${Object.entries(TASKS).map(([k, v]) => `  ${k.padEnd(10)} ${v.summary}`).join('\n')}`,
  positionals: [{ name: 'task', help: 'a built-in task (not with --resume)', choices: Object.keys(TASKS) }],
  options: {
    method: { type: 'enum', choices: METHODS, help: 'training method (required unless --resume)' },
    resume: { type: 'path', kind: 'in-dir', help: 'continue the run in this folder with its saved settings' },
    out: { type: 'path', kind: 'out-dir', help: 'run folder (default runs/<task>-<method>-s<seed>-<time>)' },
    ...TRAIN_OPTIONS,
  },
  validate({ positionals, options, given }) {
    if (options.resume) {
      if (positionals.length) throw new UsageError('dfa train --resume takes no task: the run folder has its config');
      const others = [...given].filter((k) => k !== 'resume');
      if (others.length) throw new UsageError(`dfa train --resume takes no other option: the run folder has its settings (got --${others.join(', --')})`);
    } else {
      if (!positionals[0]) throw new UsageError(`dfa train: missing <task> (${Object.keys(TASKS).join(', ')})`);
      if (!options.method) throw new UsageError(`dfa train: --method is required (${METHODS.join(', ')})`);
      checkSignalOptions('dfa train', options, [parseMethod(options.method)]);
    }
  },
  async run({ positionals, options: o }) {
    let dir: RunDir;
    let taskName: string;
    let setup: TrainSetup;
    if (o.resume) {
      dir = new RunDir(o.resume);
      const saved = dir.readJson<SavedConfig>('config.json');
      taskName = saved.task;
      setup = { taskOpts: saved.taskOpts, cfg: saved.cfg };
    } else {
      taskName = positionals[0]!;
      setup = trainSetup(o, getTask(taskName), parseMethod(o.method!));
      dir = new RunDir(o.out ?? join('runs', `${taskName}-${setup.cfg.method}-s${setup.cfg.seed}-${timestampId()}`));
    }
    const backend = await initBackend();
    const spec = getTask(taskName);
    const signal = setup.cfg.feedback ? ` (${Object.entries(setup.cfg.feedback).map(([k, v]) => `${k} ${v}`).join(', ')})` : '';
    console.error(`dfa train ${taskName} --method ${setup.cfg.method}${signal} --seed ${setup.cfg.seed} on ${backend.name} -> ${dir.path}`);
    const result = await runInto(dir, spec, taskName, setup);
    const metric = dir.readJson<{ metric: Metric }>('result.json').metric;
    dir.writeText('report.html', renderReport([{ label: setup.cfg.method, result, config: { task: taskName, ...setup } }], {
      title: `dfa train ${taskName} --method ${setup.cfg.method} --seed ${setup.cfg.seed}`,
      metricName: metric.name,
      meta: { task: taskName, backend: backend.name, 'run directory': dir.path },
    }));
    printSummary(taskName, setup, result, metric);
    console.log(`wrote ${dir.path}/{config.json,metrics.jsonl,result.json,report.html}`);
    return 0;
  },
});

function printSummary(task: string, s: TrainSetup, r: TrainResult, metric: Metric): void {
  const last = r.epochs[r.epochs.length - 1]!;
  const al = [...r.epochs].reverse().find((e) => e.alignment?.length)?.alignment;
  console.log(`${task} ${s.cfg.method}: test ${metric.name} ${r.testAtBest.toFixed(2)} at best validation epoch ${r.bestEpoch} ` +
    `(val ${r.bestVal.toFixed(2)}), final train loss ${last.trainLoss.toFixed(4)}, ${r.msPerStep.toFixed(2)} ms/step` +
    (al ? `, alignment ${al.map((a) => `${a.name} ${a.mean.toFixed(2)}±${a.std.toFixed(2)}`).join(' ')}` : '') +
    (r.stoppedEarly ? ' (early stop)' : ''));
}
