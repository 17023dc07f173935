/**
 * Shared by `dfa train` and `dfa demo`: the training options (one table, checked before any work),
 * and running one training into a run directory (config.json, metrics.jsonl, result.json,
 * checkpoint) with a progress bar.
 */
import { Progress } from '../command/progress';
import type { OptionTable, OptionValues } from '../command/options';
import { UsageError } from '../command/options';
import { backendName } from '../engine/backend';
import { ERROR_BITS, isDirect, parseMethod, PROJECTIONS, type ErrorBits, type Method, type SignalOptions } from '../feedback';
import { ACTIVATIONS, type ActivationName } from '../nn/activations';
import { OPTIMIZERS, type OptimizerConfig, type OptimizerName } from '../optim';
import { SCHEDULES, type ScheduleConfig } from '../optim/schedule';
import type { TaskOptions, TaskSpec } from '../tasks';
import type { RunDir } from '../train/run_dir';
import { Trainer, type TrainConfig, type TrainResult } from '../train/trainer';

/** Widest hidden layer and most parameters a built-in task's MLP may have (a typo such as 100000,100000 would need 40 GB). */
const MAX_WIDTH = 65536;
const MAX_PARAMS = 200_000_000;

export const TRAIN_OPTIONS = {
  seed: { type: 'int', min: 0, max: 2 ** 32 - 1, default: 0, help: 'run seed: weights, feedback matrices, dropout, shuffling' },
  epochs: { type: 'int', min: 1, max: 1_000_000, help: 'training epochs (task default)' },
  hidden: { type: 'list', of: 'int', min: 1, max: MAX_WIDTH, repeats: true, placeholder: '64,64', help: 'hidden layer widths (task default)' },
  activation: { type: 'enum', choices: ACTIVATIONS, help: 'hidden activation (task default)' },
  dropout: { type: 'number', min: 0, max: 0.95, help: 'dropout after each hidden activation (default 0)' },
  batch: { type: 'int', min: 1, max: 1_000_000, help: 'batch size (task default)' },
  n: { type: 'int', min: 20, max: 10_000_000, help: 'examples generated, split 60/20/20 (task default)' },
  optimizer: { type: 'enum', choices: OPTIMIZERS, help: 'optimizer (task default)' },
  lr: { type: 'number', min: 0, above: true, max: 100, help: 'learning rate (task default)' },
  momentum: { type: 'number', min: 0, max: 0.999999, default: 0.9, help: 'sgd momentum' },
  beta1: { type: 'number', min: 0, max: 0.999999, default: 0.9, help: 'adam β1' },
  beta2: { type: 'number', min: 0, max: 0.999999, default: 0.999, help: 'adam β2' },
  'weight-decay': { type: 'number', min: 0, max: 10, default: 0, help: 'L2 for sgd/adam, decoupled for adamw' },
  schedule: { type: 'enum', choices: SCHEDULES, default: 'constant', help: 'learning-rate schedule' },
  warmup: { type: 'int', min: 1, max: 10_000_000, default: 100, help: 'warm-up steps of warmup-inv-sqrt' },
  'plateau-factor': { type: 'number', min: 0, above: true, max: 0.999999, default: 0.5, help: 'plateau: lr multiplier' },
  'plateau-patience': { type: 'int', min: 0, max: 10_000, default: 5, help: 'plateau: epochs without improvement before lowering' },
  clip: { type: 'number', min: 0, above: true, help: 'clip gradients to this global norm' },
  patience: { type: 'int', min: 1, max: 1_000_000, help: 'stop after N epochs without a better validation metric' },
  'align-every': { type: 'int', min: 0, max: 1_000_000, default: 1, help: 'measure alignment every N epochs (0: never)' },
  scaling: { type: 'enum', choices: ['widest', 'layer'], default: 'widest', help: 'DFA feedback scale: 1/sqrt(widest point) or 1/sqrt(its own width)' },
  'conv-feedback': { type: 'enum', choices: ['flat', 'channel'], help: "image tasks: DFA's point after a convolution on the flattened map (flat, default) or one matrix shared over positions, mapping to channels (channel)" },
  projection: { type: 'enum', choices: PROJECTIONS, help: "dfa/drtp: the random projection of the global signal (default dense: U(-1, 1); structured: random signs + Walsh-Hadamard, no stored matrix)" },
  density: { type: 'number', min: 0, above: true, max: 1, help: 'with --projection sparse: the probability that an entry is nonzero (default 0.1)' },
  'error-bits': { type: 'enum', choices: ERROR_BITS.map(String), help: 'dfa/drtp: quantize the global signal to this many bits per entry (1: its sign) before the projection' },
  noise: { type: 'number', min: 0, max: 10, help: 'dfa/drtp: std of Gaussian noise added to the projected signal, relative to its RMS (0.1: 20 dB SNR)' },
} as const satisfies OptionTable;

export type TrainOptionValues = OptionValues<typeof TRAIN_OPTIONS>;

export interface TrainSetup {
  taskOpts: TaskOptions;
  cfg: TrainConfig;
}

/** The direct methods' signal options given (--projection, --density, --error-bits, --noise), or undefined when none is. */
export function signalOptions(o: TrainOptionValues): SignalOptions | undefined {
  const s: SignalOptions = {
    ...(o.projection !== undefined ? { projection: o.projection } : {}),
    ...(o.density !== undefined ? { density: o.density } : {}),
    ...(o['error-bits'] !== undefined ? { errorBits: Number(o['error-bits']) as ErrorBits } : {}),
    ...(o.noise !== undefined ? { noise: o.noise } : {}),
  };
  return Object.keys(s).length ? s : undefined;
}

/**
 * Checks the signal options against the methods of a command (before any work): --density needs
 * --projection sparse; the options shape the direct methods' signal, so one of them must be run.
 */
export function checkSignalOptions(command: string, o: TrainOptionValues, methods: readonly Method[]): void {
  if (o.density !== undefined && o.projection !== 'sparse') throw new UsageError(`${command}: --density applies to --projection sparse only`);
  const given = (['projection', 'density', 'error-bits', 'noise'] as const).filter((k) => o[k] !== undefined);
  if (given.length && !methods.some(isDirect)) {
    throw new UsageError(`${command}: --${given.join(', --')} shape${given.length > 1 ? '' : 's'} the direct methods' signal (dfa, drtp); ${methods.join(', ')} ${methods.length > 1 ? 'have' : 'has'} none`);
  }
}

/**
 * The run's settings from the parsed options (method given separately); checks the model's size.
 * The signal options go to the direct methods only (a `dfa demo` beside bp and fa).
 */
export function trainSetup(o: TrainOptionValues, spec: TaskSpec, method: Method): TrainSetup {
  const d = spec.defaults;
  const name = (o.optimizer ?? d.optimizer.name) as OptimizerName;
  const optimizer: OptimizerConfig = {
    name,
    lr: o.lr ?? (name === d.optimizer.name || (name !== 'sgd' && d.optimizer.name !== 'sgd') ? d.optimizer.lr : name === 'sgd' ? 0.01 : 1e-3),
    momentum: o.momentum,
    beta1: o.beta1,
    beta2: o.beta2,
    weightDecay: o['weight-decay'],
  };
  let schedule: ScheduleConfig;
  if (o.schedule === 'warmup-inv-sqrt') schedule = { kind: 'warmup-inv-sqrt', warmup: o.warmup };
  else if (o.schedule === 'plateau') schedule = { kind: 'plateau', factor: o['plateau-factor'], patience: o['plateau-patience'] };
  else schedule = { kind: 'constant' };
  const taskOpts: TaskOptions = {
    seed: o.seed,
    hidden: o.hidden,
    activation: o.activation as ActivationName | undefined,
    dropout: o.dropout,
    batchSize: o.batch,
    n: o.n,
    convFeedback: o['conv-feedback'] as TaskOptions['convFeedback'],
  };
  const params = spec.paramCount?.(taskOpts) ?? 0;
  if (params > MAX_PARAMS) {
    throw new UsageError(`--hidden ${(o.hidden ?? d.hidden).join(',')}: the network would have ${params.toLocaleString('en-US')} parameters ` +
      `(${((params * 16) / 2 ** 30).toFixed(1)} GiB with Adam's moments and gradients); at most ${MAX_PARAMS.toLocaleString('en-US')}`);
  }
  const cfg: TrainConfig = {
    method: parseMethod(method),
    seed: o.seed,
    epochs: o.epochs ?? d.epochs,
    optimizer,
    schedule,
    clipNorm: o.clip,
    patience: o.patience,
    alignEvery: o['align-every'],
    scaling: o.scaling as 'widest' | 'layer',
  };
  const signal = signalOptions(o);
  if (signal && isDirect(cfg.method)) cfg.feedback = signal;
  return { taskOpts, cfg };
}

/**
 * Train one task into `dir`, resuming its checkpoint when there is one (a checkpoint of other
 * settings is refused, naming each difference, before anything in the folder changes).
 */
export async function runInto(dir: RunDir, spec: TaskSpec, taskName: string, setup: TrainSetup, label = setup.cfg.method): Promise<TrainResult> {
  const task = spec.create(setup.taskOpts);
  const bar = new Progress(setup.cfg.epochs, `${label.padEnd(8)}`);
  let lastLoss = NaN;
  let trainer: Trainer<unknown> | null = null;
  try {
    trainer = new Trainer(task, setup.cfg, {
      store: dir.checkpoints(),
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
    if (trainer.resumed) {
      dir.resetMetrics(trainer.history);
      console.error(`resuming ${dir.path} after epoch ${trainer.epoch} (step ${trainer.step})`);
    } else {
      dir.writeJson('config.json', { task: taskName, ...setup, taskInfo: task.describe?.(), backend: backendName(), created: new Date().toISOString() });
      dir.resetMetrics([]);
    }
    const result = await trainer.run();
    if (result.epochs.length < setup.cfg.epochs) bar.update(setup.cfg.epochs, { stopped: `early at epoch ${result.epochs.length}` });
    dir.writeJson('result.json', { task: taskName, method: setup.cfg.method, metric: task.metric, ...result });
    return result;
  } finally {
    trainer?.dispose();
    task.dispose();
  }
}
