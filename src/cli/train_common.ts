/**
 * Shared by `dfa train` and `dfa demo`: reading training options, and running one training into a
 * run directory (config.json, metrics.jsonl, result.json, checkpoint) with a progress bar.
 */
import { backendName } from '../engine/backend';
import { parseMethod, type Method } from '../feedback';
import type { ActivationName } from '../nn/activations';
import type { TaskOptions, TaskSpec } from '../tasks';
import type { OptimizerConfig, OptimizerName } from '../optim';
import type { RunDir } from '../train/run_dir';
import type { ScheduleConfig } from '../optim/schedule';
import { train, type TrainConfig, type TrainResult } from '../train/trainer';
import type { Options } from './args';
import { Progress } from '../command/progress';

export const TRAIN_OPTIONS_HELP = `  --seed N                 run seed: weights, feedback matrices, dropout, shuffling (default 0)
  --epochs N               (task default)
  --hidden 64,64           hidden layer widths (task default)
  --activation tanh        tanh | relu | sigmoid | elu | gelu | linear
  --dropout P              dropout after each hidden activation (default 0)
  --batch N                batch size (task default)
  --n N                    examples generated (task default)
  --optimizer adam         sgd | adam | adamw (task default)
  --lr X                   learning rate (task default)
  --momentum 0.9           sgd momentum
  --beta1 0.9 --beta2 0.999  adam betas
  --weight-decay X         (default 0; L2 for sgd/adam, decoupled for adamw)
  --schedule constant      constant | warmup-inv-sqrt | plateau
  --warmup N               warm-up steps for warmup-inv-sqrt (default 100)
  --plateau-factor 0.5 --plateau-patience 5
  --clip X                 clip gradients to global norm X
  --patience N             early stopping after N epochs without a better validation metric
  --align-every N          measure alignment every N epochs (default 1; 0: never)
  --scaling widest         DFA feedback scale: widest (1/sqrt(max width), default) | layer (1/sqrt(width))
  --conv-feedback flat     image tasks: DFA's point after a convolution on the flattened map (flat, default)
                           or one matrix shared over positions, mapping to channels (channel)`;

export interface TrainSetup {
  taskOpts: TaskOptions;
  cfg: TrainConfig;
}

/** Reads every training option (method given separately). */
export function readTrainOptions(o: Options, spec: TaskSpec, method: Method): TrainSetup {
  const d = spec.defaults;
  const seed = o.int('seed', 0);
  const hidden = o.str('hidden');
  const name = o.str('optimizer', d.optimizer.name) as OptimizerName;
  const optimizer: OptimizerConfig = {
    name,
    lr: o.num('lr', name === d.optimizer.name || (name !== 'sgd' && d.optimizer.name !== 'sgd') ? d.optimizer.lr : name === 'sgd' ? 0.01 : 1e-3),
    momentum: o.num('momentum', 0.9),
    beta1: o.num('beta1', 0.9),
    beta2: o.num('beta2', 0.999),
    weightDecay: o.num('weight-decay', 0),
  };
  const kind = o.str('schedule', 'constant');
  let schedule: ScheduleConfig;
  if (kind === 'constant') schedule = { kind };
  else if (kind === 'warmup-inv-sqrt') schedule = { kind, warmup: o.int('warmup', 100) };
  else if (kind === 'plateau') schedule = { kind, factor: o.num('plateau-factor', 0.5), patience: o.int('plateau-patience', 5) };
  else throw new Error(`--schedule must be constant, warmup-inv-sqrt or plateau, got '${kind}'`);
  const scaling = o.str('scaling', 'widest');
  if (scaling !== 'widest' && scaling !== 'layer') throw new Error(`--scaling must be widest or layer, got '${scaling}'`);
  const taskOpts: TaskOptions = {
    seed,
    hidden: hidden ? parseWidths(hidden) : undefined,
    activation: o.str('activation') as ActivationName | undefined,
    dropout: o.num('dropout'),
    batchSize: o.int('batch'),
    n: o.int('n'),
    convFeedback: o.str('conv-feedback') as TaskOptions['convFeedback'],
  };
  const cfg: TrainConfig = {
    method: parseMethod(method),
    seed,
    epochs: o.int('epochs', d.epochs),
    optimizer,
    schedule,
    clipNorm: o.num('clip'),
    patience: o.int('patience'),
    alignEvery: o.int('align-every', 1),
    scaling,
  };
  return { taskOpts, cfg };
}

function parseWidths(s: string): number[] {
  const w = s.split(',').map((x) => Number(x.trim()));
  if (!w.length || w.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`--hidden must be positive integers separated by commas, got '${s}'`);
  return w;
}

/** Train one task into `dir`, resuming its checkpoint when there is one. */
export async function runInto(dir: RunDir, spec: TaskSpec, taskName: string, setup: TrainSetup, label = setup.cfg.method): Promise<TrainResult> {
  const task = spec.create(setup.taskOpts);
  try {
    const store = dir.checkpoints();
    const prior = store.load();
    if (prior) {
      dir.resetMetrics(prior.history);
      console.error(`resuming ${dir.path} after epoch ${prior.epoch} (step ${prior.step})`);
    }
    else {
      dir.writeJson('config.json', { task: taskName, ...setup, taskInfo: task.describe?.(), backend: backendName(), created: new Date().toISOString() });
      dir.resetMetrics([]);
    }
    const bar = new Progress(setup.cfg.epochs, `${label.padEnd(8)}`);
    let lastLoss = NaN;
    const result = await train(task, setup.cfg, {
      store,
      onStep: (s) => {
        lastLoss = s.loss;
        bar.update(s.epoch - 1, { epoch: `${s.epoch}/${setup.cfg.epochs}`, loss: s.loss });
      },
      onEpoch: (r) => {
        dir.appendMetrics(r);
        const al: Record<string, string> = r.alignment?.length ? { align: r.alignment.map((a) => a.mean.toFixed(2)).join('/') } : {};
        bar.update(r.epoch, { epoch: `${r.epoch}/${setup.cfg.epochs}`, loss: lastLoss, [`val ${task.metric.name}`]: r.val?.metric ?? NaN, ...al });
      },
    });
    if (result.epochs.length < setup.cfg.epochs) bar.update(setup.cfg.epochs, { stopped: `early at epoch ${result.epochs.length}` });
    dir.writeJson('result.json', { task: taskName, method: setup.cfg.method, metric: task.metric, ...result });
    return result;
  } finally {
    task.dispose();
  }
}
