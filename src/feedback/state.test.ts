import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { packFloat32Json, unpackFloat32Json } from '../train/checkpoint';
import { Feedback, type FeedbackOptions, type FeedbackState } from './index';
import { lossFn, makeNet, type Net, vars } from './test_net';

/** Every method, each projection, quantization and noise: all their random state. */
const CONFIGS: Omit<FeedbackOptions, 'seed'>[] = [
  { method: 'fa' }, { method: 'usf' }, { method: 'brsf' }, { method: 'frsf' }, { method: 'dfa' }, { method: 'drtp' },
  { method: 'dfa', projection: 'gaussian' }, { method: 'dfa', projection: 'ternary' }, { method: 'dfa', projection: 'binary' },
  { method: 'dfa', projection: 'sparse', density: 0.3 }, { method: 'dfa', projection: 'structured' },
  { method: 'drtp', projection: 'structured', noise: 0.2 }, { method: 'dfa', errorBits: 4, noise: 0.3 },
];

function step(fb: Feedback, net: Net): Float32Array[] {
  const { value, grads } = fb.grads(lossFn(fb, net, { target: true }), vars(net));
  const out = vars(net).map((v) => grads.get(v)!.dataSync() as Float32Array);
  // a plain SGD update, so later steps see other weights (and other signs)
  for (const v of vars(net)) v.assign(tf.tidy(() => tf.sub(v, tf.mul(grads.get(v)!, 0.5))));
  tf.dispose([value, ...grads.values()]);
  return out;
}

test('getState/setState (through the checkpoint packing) carry every method\'s random state: a restored Feedback continues identically', () => {
  for (const c of CONFIGS) {
    const net = makeNet([6, 12, 10, 4], 8, 41);
    const fb = new Feedback({ ...c, seed: 1 });
    step(fb, net);
    step(fb, net);
    const packed = packFloat32Json(fb.getState());
    const saved = vars(net).map((v) => v.clone());
    const next = [step(fb, net), step(fb, net)];
    vars(net).forEach((v, i) => v.assign(saved[i]!));
    const restored = new Feedback({ ...c, seed: 99 }); // another seed: every random number must come from the state
    restored.setState(unpackFloat32Json<FeedbackState>(packed.json, packed.bin));
    assert.deepEqual([step(restored, net), step(restored, net)], next, JSON.stringify(c));
    const fresh = new Feedback({ ...c, seed: 99 });
    vars(net).forEach((v, i) => v.assign(saved[i]!));
    if (c.method !== 'usf') assert.notDeepEqual(step(fresh, net), next[0], `${JSON.stringify(c)}: the state matters`);
    tf.dispose(saved);
    for (const f of [fb, restored, fresh]) f.dispose();
  }
});

test('state keys: the batch counter and draw streams are saved only where draws depend on them (brsf, noise)', () => {
  const net = makeNet([6, 12, 4], 4, 42);
  const keys = (c: FeedbackOptions) => {
    const fb = new Feedback(c);
    step(fb, net);
    return Object.keys(fb.getState()).sort();
  };
  assert.deepEqual(keys({ method: 'dfa' }), ['dfa', 'fa']);
  assert.deepEqual(keys({ method: 'brsf' }), ['dfa', 'draws', 'fa']);
  assert.deepEqual(keys({ method: 'dfa', noise: 0.1 }), ['dfa', 'draws', 'fa']);
  const st = new Feedback({ method: 'dfa', projection: 'structured' });
  step(st, net);
  const s = st.getState().dfa!;
  assert.equal(s.projection, 'structured');
  assert.equal(s.data.length, 3 * 16, 'three sign vectors of the transform length, not the matrix');
});
