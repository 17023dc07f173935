import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { fdCheck } from '../../test/helpers';
import { layerNorm } from './layer_norm';

test('layer norm: zero mean, unit variance, gradients match finite differences', () => {
  tf.tidy(() => {
    const rng = new Rng(1);
    const x = tf.tensor(rng.normalArray(3 * 6, 0.5, 2), [3, 6]);
    const g = tf.tensor(rng.normalArray(6, 1, 0.3));
    const b = tf.tensor(rng.normalArray(6, 0, 0.3));
    const y = layerNorm(x, tf.onesLike(g), tf.zerosLike(b));
    const { mean, variance } = tf.moments(y, -1);
    assert.ok(tf.max(tf.abs(mean)).dataSync()[0]! < 1e-5);
    assert.ok(tf.max(tf.abs(tf.sub(variance, 1))).dataSync()[0]! < 1e-3);
    const R = tf.tensor(rng.normalArray(18), [3, 6]); // random projection makes every output count
    fdCheck((xx, gg, bb) => tf.sum(tf.mul(layerNorm(xx!, gg!, bb!), R)) as tf.Scalar, [x, g, b]);
  });
});

test('layer norm: gamma and beta must match the features, eps must be positive', () => {
  tf.tidy(() => {
    const x = tf.zeros([2, 4]);
    assert.throws(() => layerNorm(x, tf.ones([3]), tf.zeros([4])), /4 features/);
    assert.throws(() => layerNorm(x, tf.ones([4]), tf.zeros([4]), 0), /eps must be > 0/);
  });
});
