import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { train } from '../train/trainer';
import { IMAGE_TASKS } from './node';
import { loadMnist, mnistDir } from './mnist';

const missing = (() => {
  try {
    mnistDir();
    return false;
  } catch (e) {
    return (e as Error).message;
  }
})();

test('MNIST loader: the original IDX files, labels and pixel bytes', { skip: missing }, () => {
  const tr = loadMnist('train', 100), te = loadMnist('test', 10);
  assert.deepEqual([tr.n, tr.shape, tr.pixels.length, tr.labels.length], [100, [28, 28, 1], 78400, 100]);
  // the first digits of each file, as every MNIST reader shows them
  assert.deepEqual(Array.from(tr.labels.subarray(0, 5)), [5, 0, 4, 1, 9]);
  assert.deepEqual(Array.from(te.labels.subarray(0, 5)), [7, 2, 1, 0, 4]);
  assert.equal(Math.max(...tr.pixels), 255);
  assert.equal(tr.pixels[0], 0); // corners are background
  assert.equal(loadMnist('test').n, 10000);
  assert.throws(() => loadMnist('train', 0), /positive integer/);
});

// A CNN step on the plain tfjs cpu backend runs its convolutions in JavaScript (~50x slower):
// the training test runs on the native backend only.
const skipTrain = missing || (tf.getBackend() === 'cpu' ? 'convolutions on the plain cpu backend are too slow for a test (native only)' : false);

test('the mnist CNN trains with BP and DFA (both conventions) above stated accuracies on a 3,000-image subset', { skip: skipTrain }, async () => {
  const acc: Record<string, number> = {};
  for (const [label, method, convFeedback] of [['bp', 'bp', 'flat'], ['dfa flat', 'dfa', 'flat'], ['dfa channel', 'dfa', 'channel']] as const) {
    const task = IMAGE_TASKS.mnist!.create({ seed: 0, n: 3000, nTest: 1000, convFeedback });
    try {
      const r = await train(task, { method, seed: 0, epochs: 3, optimizer: { name: 'adam', lr: 1e-3 }, alignEvery: 0 });
      acc[label] = r.testAtBest;
    } finally {
      task.dispose();
    }
  }
  console.log(`mnist subset, test accuracy (%): ${JSON.stringify(acc)}`);
  // observed (native, this seed): bp 94 %, dfa 82 % with either convention (shallow: ~67 %)
  assert.ok(acc.bp! >= 90, `bp: ${acc.bp}`);
  assert.ok(acc['dfa flat']! >= 78, `dfa flat: ${acc['dfa flat']}`);
  assert.ok(acc['dfa channel']! >= 78, `dfa channel: ${acc['dfa channel']}`);
});
