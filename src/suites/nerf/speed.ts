/** Training speed of NeRF in the units the reproduce tables print: MLP FLOPs per ray and the engine's GEMM peak. */
import * as tf from '@tensorflow/tfjs';
import type { Method } from '../../feedback';
import type { NeRF } from './models/nerf';

/**
 * FLOPs (2 × multiply-accumulates) of the MLP GEMMs per training ray: forward, plus backward as
 * each method runs it. BP: every dW and every dX except the first layer's. DFA: every dW, no dX
 * (every layer's input is a detached feedback point or data), plus e·B at each point. Shallow:
 * the dW of the output layers only. Encoding, rendering and Adam are not counted.
 */
export function mlpFlopsPerRay(model: NeRF, method: Method): number {
  const nets: Array<[NeRF['coarse'], number]> = [[model.coarse, model.cfg.nSamples]];
  if (model.fine) nets.push([model.fine, model.cfg.nSamples + model.cfg.nImportance]);
  let macs = 0;
  for (const [net, pts] of nets) {
    // Per layer: m = MACs on the main input (an activation), mx = MACs on a data input (skip, direction).
    const layers = net.layers.map((l) => ({ l, m: l.main.inDim * l.main.outDim, mx: (l.extra?.inDim ?? 0) * l.main.outDim, out: l.main.outDim }));
    const fwd = layers.reduce((a, l) => a + l.m + l.mx, 0);
    const outputs = layers.filter((l) => net.outputLayers.includes(l.l));
    let bwd: number;
    if (method === 'dfa') bwd = fwd + layers.filter((l) => !outputs.includes(l)).reduce((a, l) => a + 4 * l.out, 0);
    else if (method === 'shallow') bwd = outputs.reduce((a, l) => a + l.m + l.mx, 0);
    else bwd = fwd + layers.slice(1).reduce((a, l) => a + l.m, 0);
    macs += pts * (fwd + bwd);
  }
  return 2 * macs;
}

/**
 * The engine's GEMM rate on a NeRF-shaped product ([rows, 256] × [256, 256], rows up to 32768:
 * grown from 2048 while a product takes under 25 ms), best of 5 or of those that fit in
 * `budgetMs` (plain tfjs cpu takes ~1 s per product), GFLOP/s.
 */
export function gemmPeakGflops(budgetMs = 1500): number {
  const b = tf.randomUniform([256, 256], -1, 1, 'float32', 2);
  const time = (a: tf.Tensor2D) => {
    const t = performance.now();
    const c = tf.matMul(a, b as tf.Tensor2D);
    c.dataSync();
    c.dispose();
    return performance.now() - t;
  };
  let rows = 2048;
  let a = tf.randomUniform([rows, 256], -1, 1, 'float32', 1) as tf.Tensor2D;
  let best = time(a);
  while (best < 25 && rows < 32768) {
    rows *= 4;
    a.dispose();
    a = tf.randomUniform([rows, 256], -1, 1, 'float32', 1) as tf.Tensor2D;
    best = time(a);
  }
  const t0 = performance.now();
  for (let i = 1; i < 5 && performance.now() - t0 < budgetMs; i++) best = Math.min(best, time(a));
  tf.dispose([a, b]);
  return (2 * rows * 256 * 256) / (best / 1000) / 1e9;
}
