/** GCNConv (Kipf & Welling 2017): X' = Â X W + b, Â = D^-1/2 (A + I) D^-1/2. Glorot W, zero b. */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import type { Graph } from './graph';
import { glorot, zeros } from './init';
import { linear, type NodeInput } from './input';
import { propagate } from './ops';

export class GCNConv {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  constructor(rng: Rng, readonly inChannels: number, readonly outChannels: number, name = 'gcn') {
    this.weight = glorot(rng, [inChannels, outChannels]);
    this.bias = zeros([outChannels]);
  }

  params(): tf.Variable[] {
    return [this.weight, this.bias];
  }

  forward(x: NodeInput, g: Graph): tf.Tensor {
    const { graph, weight } = g.gcnNorm();
    return tf.add(propagate(linear(x, this.weight), graph, weight), this.bias);
  }
}
