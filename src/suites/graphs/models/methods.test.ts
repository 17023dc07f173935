/**
 * The feedback family on the graph models (issue 20): usf and drtp on a two-layer GCN give the
 * gradients their definitions say (by hand, float64), and every graph convolution's weight
 * products go through the Feedback, so the layer-wise methods treat them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../engine/rng';
import { Feedback } from '../../../feedback';
import type { StepContext } from '../../../train/task';
import { Graph } from '../nn/graph';
import { smallGraph } from '../nn/testing';
import { nllLoss, NodeTask } from '../train/node_task';
import { GATNet, GCNNet, SplineNet } from './node';
import { arr, assertGrad, C, F, gcnByHand, H, mm, N, tr, type M } from './testing';

const ctx: StepContext = { rng: new Rng(0), epoch: 1, step: 1, sparse: () => { throw new Error('no sparse parameters here'); } };

test('usf on a GCN: the hidden layer receives (Âᵀe)·B₂ with B₂ = sqrt(2/(16+C))·sign(W₂)ᵀ; conv2 gets its true gradient', () => {
  const { model, y, train, Ah, W2, e, expected, W1v, W2v, dispose } = gcnByHand();
  const fb = new Feedback({ method: 'usf', seed: 5 });
  const { value, grads } = fb.grads(() => nllLoss(model.forward(fb, new Rng(0)), y, train, C), model.params());
  const s = Math.sqrt(2 / (H + C));
  const B2 = tr(W2).map((r) => r.map((v) => s * Math.sign(v))); // [C, H]
  const [dW1, dW2] = expected(mm(mm(tr(Ah), e), B2));
  assertGrad(grads.get(W1v)!, dW1, 'usf dW1');
  assertGrad(grads.get(W2v)!, dW2, 'usf dW2');
  // and it is not BP's: with Wᵀ instead of sign(W)ᵀ the hidden gradient differs
  const [bpW1] = expected(mm(mm(tr(Ah), e), tr(W2)));
  assert.ok(arr(grads.get(W1v)!).flat().some((v, k) => Math.abs(v - bpW1.flat()[k]!) > 1e-4));
  tf.dispose([value, ...grads.values()]);
  fb.dispose();
  dispose();
});

test('drtp on a GCN through NodeTask: the hidden layer receives (−onehot/n · B)/sqrt(16) at the training nodes only, whatever the error', async () => {
  const { model, data, y, train, expected, W1v, W2v } = gcnByHand();
  const task = new NodeTask(model, data);
  const fb = new Feedback({ method: 'drtp', seed: 5 });
  const { value, grads } = fb.grads(() => task.loss(null, fb, ctx), model.params());
  const B = arr(fb.feedbackMatrix!);
  assert.deepEqual([B.length, B[0]!.length], [C, H]);
  const v: M = Array.from({ length: N }, () => new Array(C).fill(0));
  for (const i of train) v[i]![y[i]!] = -1 / train.length; // the other nodes' labels are never used
  const [dW1, dW2] = expected(mm(v, B).map((r) => r.map((a) => a / Math.sqrt(H))));
  assertGrad(grads.get(W1v)!, dW1, 'drtp dW1');
  assertGrad(grads.get(W2v)!, dW2, 'drtp dW2');
  tf.dispose([value, ...grads.values()]);
  // alignment needs the target too: measured on the training nodes (the others get no signal)
  const [a] = await fb.alignment(() => task.alignmentLoss(fb), model.params());
  assert.equal(a!.n, train.length);
  assert.ok(Number.isFinite(a!.mean) && Math.abs(a!.mean) <= 1);
  fb.dispose();
  task.dispose(); // the model's variables too
  data.x.dispose();
});

const Y = Int32Array.from([0, 1, 1, 0, 1]), TRAIN = Int32Array.from([0, 1, 3]);

test('every graph convolution\'s weight products go through the Feedback: the layer-wise methods treat them by name', () => {
  const g = smallGraph();
  const x = tf.tensor2d(new Rng(3).uniformArray(N * F, 0, 1), [N, F]);
  const nets: [string, { params(): tf.Variable[]; forward(fb: Feedback | null, rng: Rng | null): tf.Tensor }, string[]][] = [
    ['GCN', new GCNNet(x, g, C, new Rng(1), { dropout: 0, weightDecay: 0 }), ['conv1', 'conv2']],
    ['Cheb', new GCNNet(x, g, C, new Rng(1), { cheb: true, dropout: 0, weightDecay: 0 }), ['conv1.k0', 'conv1.k1', 'conv2.k0', 'conv2.k1']],
    ['Spline', new SplineNet(x, new Graph(g.numNodes, g.src, g.dst), C, new Rng(1), { dropout: 0, weightDecay: 0 }), ['conv1.root', 'conv1.k0', 'conv1.k1', 'conv2.root', 'conv2.k0', 'conv2.k1']],
    ['GAT', new GATNet(x, g, C, new Rng(1), { dropout: 0, att2Dropout: 0, weightDecay: 0 }), ['conv1', 'conv2']],
  ];
  for (const [label, net, names] of nets) {
    const grad = (method: 'bp' | 'usf') => {
      const fb = new Feedback({ method, seed: 2 });
      const { value, grads } = fb.grads(() => nllLoss(net.forward(fb, null), Y, TRAIN, C), net.params());
      const treated = names.filter((n) => {
        const B = fb.layerFeedbackOf(n);
        B?.dispose();
        return B !== null;
      });
      const first = Array.from(grads.get(net.params()[0]!)!.dataSync());
      tf.dispose([value, ...grads.values()]);
      fb.dispose();
      return { treated, first };
    };
    const usf = grad('usf'), bp = grad('bp');
    assert.deepEqual(usf.treated, names, `${label}: the layers usf treats`);
    assert.notDeepEqual(usf.first, bp.first, `${label}: usf changes the first layer's gradient`);
    tf.dispose(net.params());
  }
  x.dispose();
});
