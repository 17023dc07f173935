/** What every layer of a weight W and an optional bias b (Linear, Conv2d) offers: its variables by checkpoint name, and disposal. */
import type * as tf from '@tensorflow/tfjs';

export abstract class WeightBias {
  abstract readonly W: tf.Variable;
  abstract readonly b: tf.Variable | undefined;
  /** the layer's name (checkpoint keys `<name>.W`, `<name>.b`) */
  abstract readonly name: string;

  get variables(): tf.Variable[] {
    return this.b ? [this.W, this.b] : [this.W];
  }

  namedVariables(): Record<string, tf.Variable> {
    return this.b ? { [`${this.name}.W`]: this.W, [`${this.name}.b`]: this.b } : { [`${this.name}.W`]: this.W };
  }

  dispose(): void {
    this.W.dispose();
    this.b?.dispose();
  }
}
