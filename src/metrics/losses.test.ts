import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { fdCheck } from '../../test/helpers';
import { perplexity, softmaxCrossEntropy } from './losses';

test('cross-entropy and perplexity against a hand-computed case; fused gradient vs finite differences', () => {
  tf.tidy(() => {
    // row 0: uniform over 3 -> NLL ln 3; row 1: logits (ln 4, 0, 0), target 0 -> p = 4/6, NLL ln 1.5
    const logits = tf.tensor2d([[0, 0, 0], [Math.log(4), 0, 0]]);
    const t = tf.tensor1d([1, 0], 'int32');
    const nll = softmaxCrossEntropy(logits, t).dataSync()[0]!;
    assert.ok(Math.abs(nll - (Math.log(3) + Math.log(1.5)) / 2) < 1e-6);
    assert.ok(Math.abs(perplexity(nll) - Math.sqrt(4.5)) < 1e-5); // exp(mean NLL) = sqrt(3 * 1.5)
    const rng = new Rng(4);
    const z = tf.tensor2d(rng.normalArray(4 * 5), [4, 5]);
    const tt = tf.tensor1d([0, 4, 2, 2], 'int32');
    fdCheck((zz) => softmaxCrossEntropy(zz!, tt), [z]);
    assert.throws(() => softmaxCrossEntropy(z, tf.tensor1d([0, 1], 'int32')), /labels must be \[4\]/);
  });
});
