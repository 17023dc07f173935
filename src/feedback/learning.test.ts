import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Feedback, type FeedbackOptions } from './index';
import { lossFn, makeNet, vars } from './test_net';

/** Training loss after `steps` full-batch SGD steps on 128 points labelled by the argmax of their first 4 inputs. */
function trainedLoss(c: FeedbackOptions, steps = 80, lr = 0.5): { first: number; last: number } {
  const net = makeNet([20, 32, 32, 4], 128, 5);
  const xv = net.x.dataSync();
  net.y.dispose();
  net.y = tf.tensor1d(Int32Array.from({ length: 128 }, (_, i) => [0, 1, 2, 3].reduce((b, j) => (xv[i * 20 + j]! > xv[i * 20 + b]! ? j : b), 0)), 'int32');
  const fb = new Feedback({ ...c, seed: 1 });
  let first = NaN, last = NaN;
  for (let s = 0; s < steps; s++) {
    const { value, grads } = fb.grads(lossFn(fb, net, { target: true }), vars(net));
    last = value.dataSync()[0]!;
    if (s === 0) first = last;
    for (const v of vars(net)) {
      const g = grads.get(v);
      if (g) v.assign(tf.tidy(() => tf.sub(v, tf.mul(g, lr))));
    }
    tf.dispose([value, ...grads.values()]);
  }
  fb.dispose();
  tf.dispose([...vars(net), net.x, net.y]);
  return { first, last };
}

test('every method and signal path trains its hidden layers: loss well below shallow\'s (hidden layers frozen) after 80 steps', () => {
  const shallow = trainedLoss({ method: 'shallow' });
  assert.ok(shallow.last > 0.3, `the task needs the hidden layers: shallow reaches ${shallow.last}`);
  const configs: FeedbackOptions[] = [
    { method: 'bp' }, { method: 'dfa' }, { method: 'fa' }, { method: 'usf' }, { method: 'brsf' }, { method: 'frsf' }, { method: 'drtp' },
    { method: 'dfa', projection: 'ternary' }, { method: 'dfa', projection: 'structured' }, { method: 'dfa', projection: 'sparse', density: 0.25 },
    { method: 'dfa', errorBits: 1 }, { method: 'dfa', noise: 0.3 }, { method: 'drtp', projection: 'binary' },
  ];
  for (const c of configs) {
    const r = trainedLoss(c);
    assert.ok(r.last < 0.6 * shallow.last, `${JSON.stringify(c)}: loss ${r.first.toFixed(3)} -> ${r.last.toFixed(3)}, shallow ${shallow.last.toFixed(3)}`);
  }
});
