/** The benchmark's optimizers: the library's when present, else fused native updates or tfjs's. */
import * as tf from '@tensorflow/tfjs';
import { adamUpdate, sgdUpdate } from '../src/engine/fused_optim';

export interface BenchOptimizer {
  apply(grads: Map<tf.Variable, tf.Tensor>): void;
  dispose(): void;
}

export function makeOptimizer(kind: 'sgd' | 'adam'): BenchOptimizer {
  const state = new Map<tf.Variable, { m: Float32Array; v: Float32Array; t: number }>();
  const tfOpt = kind === 'sgd' ? tf.train.momentum(0.01, 0.9) : tf.train.adam(1e-3);
  return {
    apply(grads) {
      const rest: tf.NamedTensorMap = {};
      for (const [v, g] of grads) {
        let s = state.get(v);
        if (!s) state.set(v, (s = { m: new Float32Array(v.size), v: new Float32Array(kind === 'adam' ? v.size : 0), t: 0 }));
        s.t++;
        const ok = kind === 'sgd'
          ? sgdUpdate(v, g, s.m, s.t === 1, { lr: 0.01, momentum: 0.9, weightDecay: 0, nesterov: false })
          : adamUpdate(v, g, s.m, s.v, s.t, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false });
        if (!ok) rest[v.name] = g;
      }
      if (Object.keys(rest).length) tfOpt.applyGradients(rest as unknown as Parameters<typeof tfOpt.applyGradients>[0]);
    },
    dispose() {
      tfOpt.dispose();
    },
  };
}
