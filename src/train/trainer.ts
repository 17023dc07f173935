/**
 * The training loop, one for every method and every suite: steps through Feedback.grads, sparse
 * parameters beside the dense ones, optimizer with parameter groups, lr schedule, gradient
 * clipping, evaluation every `evalEvery` epochs (test at every evaluation or only at a new best),
 * alignment every `alignEvery` epochs, early stopping on the validation metric, the test metric
 * at the best validation epoch, the best weights kept on request, and a checkpoint after every
 * epoch (resuming one continues bit-identically; a checkpoint of other settings is refused,
 * naming each difference). A NaN/inf loss stops with TrainingDivergedError before the bad
 * step's update; the last checkpoint (the last good epoch) is kept.
 *
 * `train(task, cfg)` runs it to the end; `new Trainer(task, cfg)` + `step()` drives it one step at
 * a time (the playground, which steps several methods side by side).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { Feedback, type AlignmentStat, type MatrixAngle, type Method, type Scaling, type SignalOptions, parseMethod } from '../feedback';
import { median } from '../metrics/stats';
import { clipByGlobalNorm } from '../optim/clip';
import { makeOptimizer, type Optimizer, type OptimizerConfig } from '../optim';
import { ReduceOnPlateau, type ScheduleConfig, scheduledLr } from '../optim/schedule';
import { describeDifferences, type Checkpoint, type CheckpointStore } from './checkpoint';
import type { EvalResult, SparseParam, StepContext, TrainTask } from './task';

export interface TrainConfig {
  method: Method;
  seed: number;
  epochs: number;
  optimizer: OptimizerConfig;
  schedule?: ScheduleConfig;
  /** clip gradients (dense and sparse together) to this global norm */
  clipNorm?: number;
  /** early stopping: stop after this many epochs without a better validation metric (0/undefined: off) */
  patience?: number;
  /** take this many batches per epoch from the task's (endless) stream; default: the whole epoch */
  stepsPerEpoch?: number;
  /** evaluate every N epochs (default 1; the last epoch always; 0: never, the run is judged on training loss) */
  evalEvery?: number;
  /** 'every' evaluation (default) or only when validation improves ('best': saves the test pass otherwise) */
  testWhen?: 'every' | 'best';
  /** measure alignment every N epochs (default 1; 0: never) */
  alignEvery?: number;
  /** keep a copy of the weights at the best validation epoch (TrainResult.bestWeights) */
  keepBest?: boolean;
  /** DFA feedback scaling for the default Feedback (default 'widest') */
  scaling?: Scaling;
  /**
   * The direct methods' signal (projection, density, errorBits, noise), merged into whatever
   * Feedback the task creates (recorded with the run's settings; absent: the defaults)
   */
  feedback?: SignalOptions;
  /** the run's root stream (default new Rng(seed)): batches of epoch e from rng.fork(`epoch${e}`) */
  rng?: Rng;
  /** dropout's stream (default rng.fork('dropout')) */
  dropoutRng?: Rng;
}

export interface EpochRecord {
  epoch: number;
  step: number;
  lr: number;
  trainLoss: number;
  val?: EvalResult;
  test?: EvalResult;
  msPerStep: number;
  /** ms of this epoch's evaluation (validation and test) */
  evalMs: number;
  seconds: number;
  alignment?: AlignmentStat[];
  angles?: MatrixAngle[];
}

export interface TrainResult {
  epochs: EpochRecord[];
  /** the epoch with the best validation metric (the last epoch without evaluations), and the metrics there */
  bestEpoch: number;
  bestVal: number;
  testAtBest: number;
  stoppedEarly: boolean;
  /** median over epochs of the mean training-step time */
  msPerStep: number;
  /** true when a checkpoint was resumed */
  resumed: boolean;
  /** with keepBest: the named variables' values at the best epoch */
  bestWeights?: Record<string, Float32Array>;
}

export interface StepInfo {
  epoch: number;
  /** batch within the epoch, from 1 */
  batch: number;
  step: number;
  loss: number;
  fb: Feedback;
}

export interface TrainHooks {
  store?: CheckpointStore;
  /** resume from store's checkpoint when there is one (default true) */
  resume?: boolean;
  onStep?(info: StepInfo): void | Promise<void>;
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

export class Trainer<B = unknown> {
  readonly method: Method;
  readonly fb: Feedback;
  readonly opt: Optimizer;
  epoch = 0;
  step = 0;
  history: EpochRecord[] = [];
  resumed = false;
  /** loss of the last step */
  lastLoss = NaN;
  private readonly vars: tf.Variable[];
  private readonly names: Map<tf.Variable, string>;
  private readonly root: Rng;
  private readonly dropoutRng: Rng;
  private readonly baseLr: number;
  private readonly schedule: ScheduleConfig;
  private readonly plateau: ReduceOnPlateau | null;
  private iter: Iterator<B> | null = null;
  private batchInEpoch = 0;
  private lastSaved: number | null = null;
  private bestWeights: Record<string, Float32Array> | undefined;

  constructor(readonly task: TrainTask<B>, readonly cfg: TrainConfig, readonly hooks: TrainHooks = {}) {
    this.method = parseMethod(cfg.method);
    if (!Number.isInteger(cfg.epochs) || cfg.epochs < 1) throw new Error(`train: epochs must be a positive integer, got ${cfg.epochs}`);
    if (cfg.stepsPerEpoch !== undefined && (!Number.isInteger(cfg.stepsPerEpoch) || cfg.stepsPerEpoch < 1)) throw new Error(`train: stepsPerEpoch must be a positive integer, got ${cfg.stepsPerEpoch}`);
    const named = task.namedVariables();
    this.vars = Object.values(named);
    this.names = new Map(Object.entries(named).map(([n, v]) => [v, n]));
    this.root = cfg.rng ?? new Rng(cfg.seed);
    this.dropoutRng = cfg.dropoutRng ?? this.root.fork('dropout');
    const signal = cfg.feedback ?? {};
    this.fb = task.createFeedback?.(this.method, this.root, signal) ?? new Feedback({ method: this.method, rng: this.root, scaling: cfg.scaling, ...signal });
    const missed = this.fb.signalDifferences(signal);
    if (missed.length) {
      this.fb.dispose();
      throw new Error(`task '${task.name}' creates its Feedback without the run's feedback options: it has ${missed.join(', ')}; its createFeedback must merge the signal options it is given`);
    }
    this.opt = makeOptimizer(cfg.optimizer, task.paramGroups?.());
    this.baseLr = cfg.optimizer.lr;
    this.schedule = cfg.schedule ?? { kind: 'constant' };
    this.plateau = this.schedule.kind === 'plateau' ? new ReduceOnPlateau(this.schedule, task.metric.higherIsBetter) : null;
    if (hooks.store && hooks.resume !== false) this.restore(hooks.store);
  }

  /** The settings a checkpoint of this run must share (epochs and patience may change on resume). */
  settings(): Record<string, unknown> {
    const { epochs: _e, patience: _p, rng: _r, dropoutRng: _d, ...rest } = this.cfg;
    return { task: this.task.name, ...rest, ...(this.task.describe?.() ?? {}) };
  }

  /** One optimizer step on the next batch of the task's stream (epochs advance without evaluation). */
  stepNext(): number {
    let r = this.nextBatch();
    if (r.done) {
      this.iter = null;
      r = this.nextBatch();
      if (r.done) throw new Error(`task '${this.task.name}' produced no training batches in epoch ${this.epoch}`);
    }
    return this.trainOn(r.value);
  }

  private nextBatch(): IteratorResult<B> {
    if (!this.iter) {
      this.epoch++;
      this.batchInEpoch = 0;
      this.iter = this.task.batches(this.epoch, this.root.fork(`epoch${this.epoch}`))[Symbol.iterator]();
    }
    return this.iter.next();
  }

  /** One step on `batch`: forward + backward by the method, NaN guard, clipping, updates. Returns the loss. */
  trainOn(batch: B): number {
    this.step++;
    this.batchInEpoch++;
    this.opt.lr = scheduledLr(this.schedule, this.step, this.baseLr) * (this.plateau?.state.scale ?? 1);
    const vars = [...this.vars];
    const sparse: SparseParam[] = [];
    const ctx: StepContext = {
      rng: this.dropoutRng, epoch: this.epoch, step: this.step,
      sparse: (p) => {
        sparse.push(p);
        vars.push(p.gathered); // the engine reads the variable list after the forward (tape.ts)
        return p.gathered;
      },
    };
    try {
      const { value, grads } = this.fb.grads(() => this.task.loss(batch, this.fb, ctx), vars);
      const loss = value.dataSync()[0]!;
      value.dispose();
      if (!Number.isFinite(loss)) {
        tf.dispose([...grads.values()]);
        throw new TrainingDivergedError(this.step, this.epoch, this.batchInEpoch, loss, this.lastSaved, this.hooks.store?.describe() ?? '');
      }
      const rows = sparse.map((p) => {
        const g = grads.get(p.gathered);
        grads.delete(p.gathered);
        const data = g ? (g.dataSync() as Float32Array) : null;
        return { p, g, data };
      });
      let clipScale = 1;
      if (this.cfg.clipNorm) {
        const extra = rows.reduce((a, r) => a + (r.data ? r.p.sqNorm(r.data) : 0), 0);
        const norm = clipByGlobalNorm(grads, this.cfg.clipNorm, extra);
        clipScale = Math.min(1, this.cfg.clipNorm / (norm + 1e-6));
      }
      for (const r of rows) {
        if (r.data) r.p.apply(r.data, this.opt.lr, clipScale);
        r.g?.dispose();
      }
      this.opt.apply(grads);
      this.lastLoss = loss;
      return loss;
    } finally {
      for (const p of sparse) p.dispose();
    }
  }

  /** Train one epoch, evaluate, measure alignment, checkpoint. Returns its record. */
  async runEpoch(): Promise<EpochRecord> {
    this.iter = null;
    const t0 = performance.now();
    let stepMs = 0, lossSum = 0, nb = 0;
    const limit = this.cfg.stepsPerEpoch ?? Infinity;
    while (nb < limit) {
      const r = nb === 0 ? this.nextBatch() : this.iter!.next();
      if (r.done) break;
      const ts = performance.now();
      const loss = this.trainOn(r.value);
      stepMs += performance.now() - ts;
      lossSum += loss;
      nb++;
      await this.hooks.onStep?.({ epoch: this.epoch, batch: nb, step: this.step, loss, fb: this.fb });
    }
    (this.iter as Iterator<B> | null)?.return?.();
    this.iter = null;
    if (nb === 0) throw new Error(`task '${this.task.name}' produced no training batches in epoch ${this.epoch}`);
    const epoch = this.epoch;
    const rec: EpochRecord = { epoch, step: this.step, lr: this.opt.lr, trainLoss: lossSum / nb, msPerStep: stepMs / nb, evalMs: 0, seconds: 0 };
    const every = this.cfg.evalEvery ?? 1;
    if (every > 0 && (epoch % every === 0 || epoch === this.cfg.epochs)) {
      const te = performance.now();
      rec.val = this.task.evaluate('val');
      const best = this.best();
      if ((this.cfg.testWhen ?? 'every') === 'every' || !best?.val || this.better(rec.val.metric, best.val.metric)) rec.test = this.task.evaluate('test');
      rec.evalMs = performance.now() - te;
      if (this.cfg.keepBest && (!best?.val || this.better(rec.val.metric, best.val.metric))) {
        this.bestWeights = Object.fromEntries([...this.names].map(([v, n]) => [n, v.dataSync().slice() as Float32Array]));
      }
      if (this.plateau) this.plateau.observe(rec.val.metric, this.baseLr);
    }
    const alignEvery = this.cfg.alignEvery ?? 1;
    if (alignEvery > 0 && (epoch % alignEvery === 0 || epoch === this.cfg.epochs) && this.task.alignmentLoss && this.method !== 'shallow' && this.method !== 'bp') {
      rec.alignment = await this.fb.alignment(() => this.task.alignmentLoss!(this.fb), this.vars);
      rec.angles = this.fb.matrixAngles(this.task.pathWeights?.() ?? {});
    }
    rec.seconds = (performance.now() - t0) / 1000;
    this.history.push(rec);
    this.hooks.onEpoch?.(rec);
    if (this.hooks.store) {
      this.hooks.store.save(this.snapshot());
      this.lastSaved = epoch;
    }
    return rec;
  }

  /** Train to cfg.epochs (or early stop), from a resumed checkpoint when there is one. */
  async run(): Promise<TrainResult> {
    let stoppedEarly = this.patienceOver();
    while (this.epoch < this.cfg.epochs && !stoppedEarly) {
      await this.runEpoch();
      stoppedEarly = this.patienceOver();
      if (this.hooks.stopAfterEpoch === this.epoch) break;
    }
    return this.result(stoppedEarly);
  }

  result(stoppedEarly = false): TrainResult {
    if (!this.history.length) throw new Error(`train '${this.task.name}': no epoch was trained`);
    const best = this.best() ?? this.history[this.history.length - 1]!;
    return {
      epochs: this.history,
      bestEpoch: best.epoch,
      bestVal: best.val?.metric ?? NaN,
      testAtBest: best.test?.metric ?? NaN,
      stoppedEarly,
      msPerStep: median(this.history.map((r) => r.msPerStep)),
      resumed: this.resumed,
      ...(this.bestWeights ? { bestWeights: this.bestWeights } : {}),
    };
  }

  dispose(): void {
    this.opt.dispose();
    this.fb.dispose();
  }

  private better(a: number, b: number): boolean {
    return this.task.metric.higherIsBetter ? a > b : a < b;
  }

  /** The evaluated epoch with the best validation metric (the first of ties). */
  private best(): EpochRecord | null {
    return this.history.reduce<EpochRecord | null>((b, r) => (r.val && (!b?.val || this.better(r.val.metric, b.val.metric)) ? r : b), null);
  }

  private patienceOver(): boolean {
    if (!this.cfg.patience || !this.history.length) return false;
    const b = this.best();
    return !!b && this.history[this.history.length - 1]!.epoch - b.epoch >= this.cfg.patience;
  }

  private snapshot(): Checkpoint {
    const weights = Object.fromEntries([...this.names].map(([v, n]) => [n, { shape: v.shape, data: v.dataSync() as Float32Array }]));
    return {
      version: 2, task: this.task.name, method: this.method, seed: this.cfg.seed, settings: this.settings(),
      epoch: this.epoch, step: this.step, weights,
      optimizer: this.opt.getState(this.names), feedback: this.fb.getState(), rng: { dropout: this.dropoutRng.getState() },
      plateau: this.plateau ? { ...this.plateau.state } : null, history: this.history.slice(),
      taskState: this.task.getState?.() ?? null,
      ...(this.bestWeights ? { bestWeights: this.bestWeights } : {}),
    };
  }

  private restore(store: CheckpointStore): void {
    const ck = store.load();
    if (!ck) return;
    const diffs = describeDifferences(ck.settings ?? { task: ck.task, method: ck.method, seed: ck.seed }, this.settings());
    if (diffs.length) throw new Error(`the checkpoint in ${store.describe()} is of another run (${diffs.join('; ')}); use another folder, or the settings it was made with`);
    for (const [n, v] of Object.entries(this.task.namedVariables())) {
      const w = ck.weights[n];
      if (!w) throw new Error(`checkpoint in ${store.describe()} has no weights for '${n}'`);
      if (w.shape.join(',') !== v.shape.join(',')) throw new Error(`checkpoint in ${store.describe()}: weights '${n}' are [${w.shape}], the model's are [${v.shape}]`);
      tf.tidy(() => v.assign(tf.tensor(w.data, w.shape)));
    }
    this.opt.setState(ck.optimizer, this.names);
    this.fb.setState(ck.feedback);
    this.dropoutRng.setState(ck.rng.dropout);
    if (this.plateau && ck.plateau) this.plateau.state = { ...ck.plateau };
    if (ck.taskState !== null && ck.taskState !== undefined) this.task.setState?.(ck.taskState);
    this.epoch = ck.epoch;
    this.step = ck.step;
    this.history = ck.history;
    this.bestWeights = ck.bestWeights;
    this.lastSaved = ck.epoch;
    this.resumed = true;
  }
}

/** Train a task to the end (see Trainer). */
export async function train<B>(task: TrainTask<B>, cfg: TrainConfig, hooks: TrainHooks = {}): Promise<TrainResult> {
  const t = new Trainer(task, cfg, hooks);
  try {
    return await t.run();
  } finally {
    t.dispose();
  }
}
