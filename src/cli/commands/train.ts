/** `dfa train <task> --method bp|dfa|fa|shallow --seed N ...`: one training run into runs/<id>/. */
import { join } from 'node:path';
import { initBackend } from '../../engine/backend';
import { METHODS, parseMethod } from '../../feedback';
import { getNodeTask as getTask, NODE_TASKS as TASKS } from '../../tasks/node';
import { renderReport } from '../../train/report';
import { RunDir, timestampId } from '../../train/run_dir';
import type { Metric } from '../../train/task';
import type { TrainResult } from '../../train/trainer';
import { Options, parseArgs } from '../args';
import { readTrainOptions, runInto, TRAIN_OPTIONS_HELP, type TrainSetup } from '../train_common';

export const help = `usage: dfa train <task> --method ${METHODS.join('|')} [options]
       dfa train --resume runs/<id>        continue a stopped run (same config, bit-identical result)

Trains one network and writes runs/<id>/: config.json, metrics.jsonl (per epoch), result.json,
report.html and a checkpoint (weights, optimizer state, feedback matrices, RNG state).

tasks:
${Object.entries(TASKS).map(([k, v]) => `  ${k.padEnd(10)} ${v.summary}`).join('\n')}

options:
  --method M               ${METHODS.join(' | ')} (required)
${TRAIN_OPTIONS_HELP}
  --out DIR                run directory (default runs/<task>-<method>-s<seed>-<time>)`;

interface SavedConfig extends TrainSetup {
  task: string;
}

export async function run(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv);
  const o = new Options(options, 'dfa train');
  const resume = o.str('resume');
  let dir: RunDir;
  let taskName: string;
  let setup: TrainSetup;
  if (resume) {
    o.done();
    if (positional.length) throw new Error('dfa train --resume takes no task: the run directory has its config');
    dir = new RunDir(resume);
    const saved = dir.readJson<SavedConfig>('config.json');
    taskName = saved.task;
    setup = { taskOpts: saved.taskOpts, cfg: saved.cfg };
  } else {
    taskName = positional[0] ?? '';
    if (!taskName) {
      console.error(help);
      return 1;
    }
    const spec = getTask(taskName);
    const m = o.str('method');
    if (!m) throw new Error(`dfa train: --method is required (${METHODS.join(', ')})`);
    setup = readTrainOptions(o, spec, parseMethod(m));
    const out = o.str('out');
    o.done();
    dir = new RunDir(out ?? join('runs', `${taskName}-${setup.cfg.method}-s${setup.cfg.seed}-${timestampId()}`));
  }
  const backend = await initBackend();
  const spec = getTask(taskName);
  console.error(`dfa train ${taskName} --method ${setup.cfg.method} --seed ${setup.cfg.seed} on ${backend.name} -> ${dir.path}`);
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
}

function printSummary(task: string, s: TrainSetup, r: TrainResult, metric: Metric): void {
  const last = r.epochs[r.epochs.length - 1]!;
  const al = [...r.epochs].reverse().find((e) => e.alignment?.length)?.alignment;
  console.log(`${task} ${s.cfg.method}: test ${metric.name} ${r.testAtBest.toFixed(2)} at best validation epoch ${r.bestEpoch} ` +
    `(val ${r.bestVal.toFixed(2)}), final train loss ${last.trainLoss.toFixed(4)}, ${r.msPerStep.toFixed(2)} ms/step` +
    (al ? `, alignment ${al.map((a) => `${a.name} ${a.mean.toFixed(2)}±${a.std.toFixed(2)}`).join(' ')}` : '') +
    (r.stoppedEarly ? ' (early stop)' : ''));
}
