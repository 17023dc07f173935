/**
 * One zoo run from its JSON params alone: a model's task at its budget, trained by the core
 * Trainer with one method (and its signal options), measured the same way for every model: the
 * test metric at the best validation epoch, the alignment after training (mean over the model's
 * feedback points of the per-sample cosine between the signal the method delivers and BP's
 * gradient), and the median time of a training step.
 */
import type { RunContext } from '../command/experiment';
import { median } from '../metrics/stats';
import { TrainingDivergedError, train, type EpochRecord } from '../train/trainer';
import { ZOO, type Budget, type ZooModelId } from './models';
import { variant } from './variants';

export interface ZooRunParams {
  model: ZooModelId;
  /** a row of variants.ts */
  variant: string;
  seed: number;
  budget: Budget;
}

export interface ZooRunResult {
  /** the model's metric (scaled as printed) at the best validation epoch */
  metric: number;
  /** mean over feedback points of the mean per-sample cosine with BP after training; null for bp and shallow (not measured) */
  alignment: number | null;
  points: Array<{ name: string; mean: number; std: number }>;
  /** layer-wise methods: mean angle (degrees) between each layer's feedback matrix and its forward weight */
  angle: number | null;
  /** median ms of a training step (forward + backward + update) */
  stepMs: number;
  steps: number;
  seconds: number;
  describe: string;
  /** set when the loss became non-finite (a result: the same seed diverges again) */
  diverged?: string;
}

/**
 * Step times: the intervals between consecutive steps of one epoch (each a step and its batch),
 * median; a task with too few steps per epoch for that (full-batch graphs: one) gives the median
 * of its epochs' mean step time instead (which excludes evaluation).
 */
class StepClock {
  private last: { epoch: number; t: number } | null = null;
  readonly intervals: number[] = [];

  tick(epoch: number): void {
    const t = performance.now();
    if (this.last?.epoch === epoch) this.intervals.push(t - this.last.t);
    this.last = { epoch, t };
  }

  /** after an epoch's evaluation, the next interval starts afresh */
  reset(): void {
    this.last = null;
  }

  median(epochs: EpochRecord[]): number {
    if (this.intervals.length >= 10) return median(this.intervals);
    const later = epochs.length > 1 ? epochs.slice(1) : epochs;
    return median(later.map((e) => e.msPerStep));
  }
}

export async function runZoo(p: ZooRunParams, ctx: RunContext): Promise<ZooRunResult> {
  const model = ZOO[p.model];
  if (!model) throw new Error(`zoo: unknown model '${p.model}'`);
  const v = variant(p.variant);
  const why = model.undefinedFor(v.method);
  if (why) throw new Error(`zoo: ${why}`);
  const t0 = performance.now();
  const setup = await model.setup(v.method, p.seed, p.budget);
  const clock = new StepClock();
  const epochs = setup.config.epochs;
  const totalSteps = setup.config.stepsPerEpoch ? epochs * setup.config.stepsPerEpoch : null;
  const base = { describe: setup.describe };
  try {
    const r = await train(setup.task, {
      ...setup.config, method: v.method, seed: p.seed, ...(v.feedback ? { feedback: v.feedback } : {}),
      alignEvery: epochs, // once, after training
    }, {
      onStep: ({ epoch, step }) => {
        clock.tick(epoch);
        ctx.progress(totalSteps ? step / totalSteps : (epoch - 1) / epochs, { epoch });
      },
      onEpoch: (rec) => {
        clock.reset();
        ctx.progress(rec.epoch / epochs, { epoch: rec.epoch });
      },
    });
    const last = r.epochs[r.epochs.length - 1]!;
    const points = (last.alignment ?? []).map((a) => ({ name: a.name, mean: a.mean, std: a.std }));
    const angles = last.angles ?? [];
    const out: ZooRunResult = {
      ...base,
      metric: r.testAtBest * model.scale,
      alignment: points.length ? points.reduce((a, x) => a + x.mean, 0) / points.length : null,
      points,
      angle: angles.length ? angles.reduce((a, x) => a + x.degrees, 0) / angles.length : null,
      stepMs: clock.median(r.epochs),
      steps: last.step,
      seconds: (performance.now() - t0) / 1000,
    };
    ctx.log(`  zoo ${p.model}/${p.variant} seed ${p.seed}: ${model.metric} ${out.metric.toFixed(2)}` +
      (out.alignment !== null ? `, alignment ${out.alignment.toFixed(3)}` : '') + `, ${out.stepMs.toFixed(2)} ms/step, ${out.seconds.toFixed(1)} s`);
    return out;
  } catch (e) {
    if (!(e instanceof TrainingDivergedError)) throw e;
    ctx.log(`  zoo ${p.model}/${p.variant} seed ${p.seed}: ${e.message}`);
    return { ...base, metric: NaN, alignment: null, points: [], angle: null, stepMs: NaN, steps: e.step, seconds: (performance.now() - t0) / 1000, diverged: e.message };
  } finally {
    setup.task.dispose();
  }
}
