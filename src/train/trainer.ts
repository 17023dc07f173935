/**
 * The training loop, the same for every method: steps through Feedback.grads, optimizer with
 * parameter groups, lr schedule, gradient clipping, evaluation each epoch, alignment every
 * `alignEvery` epochs, early stopping on the validation metric, the test metric at the best
 * validation epoch, and a checkpoint after every epoch (resuming one continues bit-identically).
 * A NaN/inf loss stops with TrainingDivergedError before the bad step's update; the last
 * checkpoint (the last good epoch) is kept.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { Feedback, type AlignmentStat, type MatrixAngle, type Method, type Scaling, parseMethod } from '../feedback';
import type { Checkpoint, CheckpointStore } from './checkpoint';
import { clipByGlobalNorm } from './clip';
import { makeOptimizer, type OptimizerConfig } from './optim';
import { ReduceOnPlateau, type ScheduleConfig, scheduledLr } from './schedule';
import type { EvalResult, TrainTask } from './task';

export interface TrainConfig {
  method: Method;
  seed: number;
  epochs: number;
  optimizer: OptimizerConfig;
  schedule?: ScheduleConfig;
  /** clip gradients to this global norm */
  clipNorm?: number;
  /** early stopping: stop after this many epochs without a better validation metric (0/undefined: off) */
  patience?: number;
  /** measure alignment every N epochs (default 1; 0: never) */
  alignEvery?: number;
  /** DFA feedback scaling (default 'widest') */
  scaling?: Scaling;
}

export interface EpochRecord {
  epoch: number;
  step: number;
  lr: number;
  trainLoss: number;
  val: EvalResult;
  test: EvalResult;
  msPerStep: number;
  seconds: number;
  alignment?: AlignmentStat[];
  angles?: MatrixAngle[];
}

export interface TrainResult {
  epochs: EpochRecord[];
  /** the epoch with the best validation metric, and the test metric there */
  bestEpoch: number;
  bestVal: number;
  testAtBest: number;
  stoppedEarly: boolean;
  /** median over epochs of the mean training-step time */
  msPerStep: number;
  /** true when a checkpoint was resumed */
  resumed: boolean;
}

export interface TrainHooks {
  store?: CheckpointStore;
  /** resume from store's checkpoint when there is one (default true) */
  resume?: boolean;
  onStep?(info: { epoch: number; batch: number; step: number; loss: number }): void;
  onEpoch?(rec: EpochRecord): void;
  /** stop after this epoch as if killed (tests) */
  stopAfterEpoch?: number;
}

export class TrainingDivergedError extends Error {
  constructor(readonly step: number, readonly epoch: number, readonly batch: number, readonly value: number, readonly lastGoodEpoch: number | null, where: string) {
    super(
      `non-finite loss (${value}) at step ${step} (epoch ${epoch}, batch ${batch}); training stopped before applying it. ` +
        (lastGoodEpoch === null ? 'No checkpoint had been written yet.' : `The last good checkpoint (epoch ${lastGoodEpoch}) is kept in ${where}.`),
    );
    this.name = 'TrainingDivergedError';
  }
}

export async function train(task: TrainTask, cfg: TrainConfig, hooks: TrainHooks = {}): Promise<TrainResult> {
  const method = parseMethod(cfg.method);
  if (!Number.isInteger(cfg.epochs) || cfg.epochs < 1) throw new Error(`train: epochs must be a positive integer, got ${cfg.epochs}`);
  const named = task.namedVariables();
  const vars = Object.values(named);
  const names = new Map(Object.entries(named).map(([n, v]) => [v, n]));
  const fb = new Feedback({ method, seed: cfg.seed, scaling: cfg.scaling });
  const opt = makeOptimizer(cfg.optimizer, task.paramGroups?.());
  const baseLr = cfg.optimizer.lr;
  const schedule: ScheduleConfig = cfg.schedule ?? { kind: 'constant' };
  const plateau = schedule.kind === 'plateau' ? new ReduceOnPlateau(schedule, task.metric.higherIsBetter) : null;
  const rng = new Rng(cfg.seed);
  const dropoutRng = rng.fork('dropout');
  const alignEvery = cfg.alignEvery ?? 1;

  let epoch = 0;
  let step = 0;
  let history: EpochRecord[] = [];
  let lastSaved: number | null = null;
  let resumed = false;

  const ck = hooks.store && hooks.resume !== false ? hooks.store.load() : null;
  if (ck) {
    for (const [k, want] of [['task', task.name], ['method', method], ['seed', cfg.seed]] as const) {
      if (ck[k] !== want) throw new Error(`checkpoint in ${hooks.store!.describe()} is for ${k} '${ck[k]}', not '${want}'; use another run directory`);
    }
    for (const [n, v] of Object.entries(named)) {
      const w = ck.weights[n];
      if (!w) throw new Error(`checkpoint has no weights for '${n}'`);
      if (w.shape.join(',') !== v.shape.join(',')) throw new Error(`checkpoint weights '${n}' are [${w.shape}], the model's are [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(w.data, w.shape)));
    }
    opt.setState(ck.optimizer, names);
    fb.setState(ck.feedback);
    dropoutRng.setState(ck.rng.dropout);
    if (plateau && ck.plateau) plateau.state = { ...ck.plateau };
    ({ epoch, step, history } = ck);
    lastSaved = epoch;
    resumed = true;
  }

  const better = (a: number, b: number) => (task.metric.higherIsBetter ? a > b : a < b);
  const bestOf = (h: EpochRecord[]) => h.reduce<EpochRecord | null>((b, r) => (!b || better(r.val.metric, b.val.metric) ? r : b), null);
  let stoppedEarly = false;
  if (cfg.patience && history.length) {
    const b = bestOf(history)!;
    stoppedEarly = history[history.length - 1]!.epoch - b.epoch >= cfg.patience;
  }

  try {
    while (epoch < cfg.epochs && !stoppedEarly) {
      epoch++;
      const t0 = performance.now();
      let stepMs = 0;
      let lossSum = 0;
      let nb = 0;
      for (const batch of task.batches(epoch, rng.fork(`epoch${epoch}`))) {
        nb++;
        step++;
        const ts = performance.now();
        opt.lr = scheduledLr(schedule, step, baseLr) * (plateau?.state.scale ?? 1);
        const { value, grads } = fb.grads(() => task.loss(batch, fb, dropoutRng), vars);
        const loss = value.dataSync()[0]!;
        value.dispose();
        if (!Number.isFinite(loss)) {
          tf.dispose([...grads.values()]);
          throw new TrainingDivergedError(step, epoch, nb, loss, lastSaved, hooks.store?.describe() ?? '');
        }
        if (cfg.clipNorm) clipByGlobalNorm(grads, cfg.clipNorm);
        opt.apply(grads);
        stepMs += performance.now() - ts;
        lossSum += loss;
        hooks.onStep?.({ epoch, batch: nb, step, loss });
      }
      if (nb === 0) throw new Error(`task '${task.name}' produced no training batches in epoch ${epoch}`);
      const val = task.evaluate('val');
      const test = task.evaluate('test');
      const rec: EpochRecord = {
        epoch, step, lr: opt.lr, trainLoss: lossSum / nb, val, test,
        msPerStep: stepMs / nb, seconds: (performance.now() - t0) / 1000,
      };
      if (alignEvery > 0 && (epoch % alignEvery === 0 || epoch === cfg.epochs) && task.alignmentLoss && method !== 'shallow' && method !== 'bp') {
        rec.alignment = await fb.alignment(() => task.alignmentLoss!(fb), vars);
        rec.angles = fb.matrixAngles(task.pathWeights?.() ?? {});
      }
      if (plateau) plateau.observe(val.metric, baseLr);
      history.push(rec);
      hooks.onEpoch?.(rec);
      if (hooks.store) {
        hooks.store.save(snapshot());
        lastSaved = epoch;
      }
      if (cfg.patience && epoch - bestOf(history)!.epoch >= cfg.patience) stoppedEarly = true;
      if (hooks.stopAfterEpoch === epoch) break;
    }
  } finally {
    opt.dispose();
    fb.dispose();
  }

  const best = bestOf(history)!;
  const ms = history.map((r) => r.msPerStep).sort((a, b) => a - b);
  return {
    epochs: history,
    bestEpoch: best.epoch,
    bestVal: best.val.metric,
    testAtBest: best.test.metric,
    stoppedEarly,
    msPerStep: ms[Math.floor(ms.length / 2)]!,
    resumed,
  };

  function snapshot(): Checkpoint {
    const weights = Object.fromEntries(Object.entries(named).map(([n, v]) => [n, { shape: v.shape, data: v.dataSync() as Float32Array }]));
    return {
      version: 1, task: task.name, method, seed: cfg.seed, epoch, step, weights,
      optimizer: opt.getState(names), feedback: fb.getState(), rng: { dropout: dropoutRng.getState() },
      plateau: plateau ? { ...plateau.state } : null, history: history.slice(),
    };
  }
}
