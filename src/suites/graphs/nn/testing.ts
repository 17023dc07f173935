/** Test helpers for the graph layers: a small graph and a finite-difference gradient check. */
import * as tf from '@tensorflow/tfjs';
import { Graph } from './graph';

/** 5 nodes, undirected edges 0-1, 1-2, 2-3, 3-0, 1-3, 2-4 (both directions), sorted. */
export function smallGraph(): Graph {
  const und = [[0, 1], [1, 2], [2, 3], [3, 0], [1, 3], [2, 4]];
  const all = und.flatMap(([a, b]) => [[a!, b!], [b!, a!]]).sort((p, q) => p[0]! - q[0]! || p[1]! - q[1]!);
  return new Graph(5, Int32Array.from(all.map((p) => p[0]!)), Int32Array.from(all.map((p) => p[1]!)));
}

/**
 * Max relative error between the tape's gradients of f and central finite differences
 * (float32, so eps is large-ish; f should be smooth near the point).
 */
export function gradCheck(f: () => tf.Scalar, vars: tf.Variable[], eps = 1e-2): number {
  const { grads } = tf.variableGrads(f, vars);
  let worst = 0;
  for (const v of vars) {
    const g = grads[v.name]!.dataSync();
    const base = Float32Array.from(v.dataSync());
    const num = new Float32Array(base.length);
    for (let i = 0; i < base.length; i++) {
      const p = base.slice();
      p[i] = base[i]! + eps;
      v.assign(tf.tensor(p, v.shape));
      const fp = tf.tidy(() => f().dataSync()[0]!);
      p[i] = base[i]! - eps;
      v.assign(tf.tensor(p, v.shape));
      const fm = tf.tidy(() => f().dataSync()[0]!);
      num[i] = (fp - fm) / (2 * eps);
    }
    v.assign(tf.tensor(base, v.shape));
    let scale = 1e-3;
    for (let i = 0; i < num.length; i++) scale = Math.max(scale, Math.abs(num[i]!));
    for (let i = 0; i < num.length; i++) worst = Math.max(worst, Math.abs(num[i]! - g[i]!) / scale);
  }
  tf.dispose(Object.values(grads));
  return worst;
}

/** A fixed "random" weighting R so that f = Σ out ⊙ R exercises every output entry. */
export function probe(shape: number[], seed = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    v[i] = (s / 2147483648) * 2 - 1;
  }
  return tf.tensor(v, shape);
}
