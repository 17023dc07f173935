/**
 * Built-in tasks for `dfa train` and `dfa demo`, generated in the package (no download). The data
 * comes from a fixed data seed (the same for every method and run seed); the model from the run
 * seed. Tasks that read files (MNIST) are Node-only: src/tasks/node.ts adds them.
 */
import { Rng } from '../engine/rng';
import type { ActivationName } from '../nn/activations';
import type { OptimizerConfig } from '../optim';
import type { TrainTask } from '../train/task';
import { MlpClassificationTask } from './classification';
import type { ConvFeedback } from './convnet';
import { rings, split, teacher } from './generated';

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
  /** parameters of the model these options build (checked before anything is allocated) */
  paramCount?(o: TaskOptions): number;
}

const FRACTIONS: [number, number, number] = [0.6, 0.2, 0.2];

export const TASKS: Record<string, TaskSpec> = {
  rings: {
    summary: '3 concentric radius bands in a random plane of 8-d Gaussian inputs (a network must find the plane and build the radius)',
    defaults: { hidden: [64, 64], activation: 'tanh', epochs: 10, batchSize: 32, n: 2000, optimizer: { name: 'adam', lr: 1e-2 } },
    paramCount: (o) => mlpParams(8, o.hidden ?? [64, 64], 3),
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
    paramCount: (o) => mlpParams(32, o.hidden ?? [128, 128], 4),
    create(o) {
      const d = this.defaults;
      mlpOnly('teacher', o);
      const data = teacher(o.n ?? d.n, 32, 4, new Rng(o.dataSeed ?? 1234).fork('teacher'), { relevant: 4 });
      const s = split(data, FRACTIONS, new Rng(o.dataSeed ?? 1234).fork('split'));
      return new MlpClassificationTask('teacher', s, mlpCfg(o, d), o.batchSize ?? d.batchSize);
    },
  },
};

function mlpParams(inputDim: number, hidden: number[], outputDim: number): number {
  const dims = [inputDim, ...hidden, outputDim];
  return dims.slice(1).reduce((a, w, i) => a + (dims[i]! + 1) * w, 0);
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
