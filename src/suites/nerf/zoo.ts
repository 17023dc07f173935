/**
 * The NeRF wing's model for applications that compare methods across wings (`dfa reproduce zoo`,
 * src/zoo): Tiny-NeRF (appendix B) on the Blender lego scene as a TrainTask at a short budget,
 * with figA1's learning rates (5e-3; DFA and its variants 1e-3), and an alignment loss on a fixed
 * batch of rays (the task trains on random ones). drtp is undefined (task.ts: DRTP_UNDEFINED).
 */
import type * as tf from '@tensorflow/tfjs';
import { Rng } from '../../engine/rng';
import { isDirect, type Feedback, type Method } from '../../feedback';
import type { TrainConfig } from '../../train/trainer';
import { loadBlender } from './data/blender';
import type { NerfScene, NerfView } from './data/scene';
import { NeRF } from './models/nerf';
import { NERF_ADAM, NERF_TINY } from './paper';
import { NerfTask, sampleBatch } from './task';

export { DRTP_UNDEFINED as NERF_DRTP_UNDEFINED } from './task';

export interface TinyNerfBudget {
  /** training steps */
  iters: number;
  rays: number;
  /** samples per ray */
  samples: number;
  /** down-scale of the 200 px lego (4: 50×50) */
  factor: number;
  /** held-out views scored at the end (evenly spread over the test split) */
  testViews: number;
}

/** A Tiny-NeRF task that also measures alignment, on a fixed batch with fixed depths (deterministic). */
class AlignedNerfTask extends NerfTask {
  private readonly alignRays: { rays: Parameters<NeRF['trainingLoss']>[1]; target: Float32Array };

  constructor(model: NeRF, scene: NerfScene, opts: ConstructorParameters<typeof NerfTask>[2], private readonly alignSeed: number) {
    super(model, scene, opts);
    this.alignRays = sampleBatch(scene, scene.train, opts.batchRays, new Rng(alignSeed).fork('align-batch'));
  }

  alignmentLoss(fb: Feedback): tf.Scalar {
    return this.model.trainingLoss(fb, this.alignRays.rays, this.alignRays.target, this.scene, new Rng(this.alignSeed).fork('align-depths')).loss;
  }

  /** Here the task owns its model (nobody renders it afterwards). */
  override dispose(): void {
    this.model.dispose();
  }
}

const scenes = new Map<string, NerfScene>();

/** The lego scene at `factor` (train and test views), loaded once per process. */
function lego(factor: number, data: string | null): NerfScene {
  const key = `${data ?? ''}|${factor}`;
  let s = scenes.get(key);
  if (!s) {
    s = loadBlender(data ?? undefined, { factor, splits: ['train', 'test'] });
    scenes.set(key, s);
  }
  return s;
}

function evenly<T>(xs: T[], n: number): T[] {
  return n >= xs.length ? xs : Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);
}

export interface TinyNerfSetup {
  task: NerfTask;
  config: Omit<TrainConfig, 'method' | 'seed' | 'feedback'>;
  describe: string;
}

/**
 * Tiny-NeRF on lego (`data`: a nerf_synthetic scene folder, default the shared lego_200) trained
 * `budget.iters` steps in one epoch, PSNR on the held-out views at the end (validation = the same
 * views: one evaluation, nothing to select).
 */
export function tinyNerf(method: Method, seed: number, budget: TinyNerfBudget, data: string | null = null): TinyNerfSetup {
  const scene = lego(budget.factor, data);
  const views: NerfView[] = evenly(scene.test, budget.testViews);
  const model = new NeRF({ ...NERF_TINY, nSamples: budget.samples }, seed);
  const task = new AlignedNerfTask(model, scene, {
    batchRays: budget.rays, seed, precropIters: Math.floor(budget.iters / 3), precropFrac: 0.5, sceneName: 'lego', evalViews: { val: views, test: views },
  }, seed);
  const lr = isDirect(method) ? 1e-3 : 5e-3;
  return {
    task,
    config: { epochs: 1, stepsPerEpoch: budget.iters, optimizer: { name: 'adam', lr, ...NERF_ADAM } },
    describe: `Tiny-NeRF (3×128) on lego ${scene.W}×${scene.H}, ${budget.iters} steps × ${budget.rays} rays × ${budget.samples} samples, Adam lr ${lr}, PSNR on ${views.length} test view${views.length > 1 ? 's' : ''}`,
  };
}
