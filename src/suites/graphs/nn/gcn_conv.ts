/** GCNConv (Kipf & Welling 2017): X' = Â X W + b, Â = D^-1/2 (A + I) D^-1/2. Glorot W, zero b. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import { propagate } from '../../../engine/ops/propagate';
import type { Feedback } from '../../../feedback';
import { initWeights } from '../../../nn/init';
import type { Graph } from './graph';
import { project, type NodeInput } from './input';
import { param } from './param';

export class GCNConv {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  constructor(rng: Rng, readonly inChannels: number, readonly outChannels: number, readonly name = 'gcn') {
    this.weight = param(initWeights('glorot', rng, inChannels, outChannels), [inChannels, outChannels]);
    this.bias = param(new Float32Array(outChannels), [outChannels]);
  }

  params(): tf.Variable[] {
    return [this.weight, this.bias];
  }

  /** `fb`: a dense input's product goes through it (FA's feedback matrix, under the layer's name). */
  forward(x: NodeInput, g: Graph, fb?: Feedback | null): tf.Tensor {
    const { graph, weight } = g.gcnNorm();
    return tf.add(propagate(project(x, this.weight, fb, this.name), graph, weight), this.bias);
  }
}
