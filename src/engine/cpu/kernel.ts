/**
 * Kernels for tfjs's own backends written with tfjs ops. Each runs the ops the library ran before
 * the op had a kernel, in the same order, so plain-cpu numbers do not move; being ops, not typed
 * array loops, the same config also serves tfjs's webgl backend (the browser playground).
 * Inside a kernel tfjs records nothing on the tape (kernel depth > 0, as in tf.customGrad's
 * forward): the ops only compute, and a tidy frees their temporaries.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

type Body = (inputs: Record<string, tf.Tensor>, attrs: NamedAttrMap) => tf.Tensor | tf.Tensor[];

/** The 'cpu' KernelConfig of `kernelName` computing `body` with tfjs ops. */
export function tfOpsKernel(kernelName: string, body: Body): KernelConfig {
  return {
    kernelName,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs }) =>
      tf.tidy(() => {
        const given = new Set<tf.Tensor>();
        const xs: Record<string, tf.Tensor> = {};
        for (const [name, t] of Object.entries(inputs)) {
          if (!t) continue;
          const x = (t as tf.Tensor).rank !== undefined ? (t as tf.Tensor) : tf.engine().makeTensorFromTensorInfo(t);
          given.add(x);
          xs[name] = x;
        }
        const out = body(xs, attrs ?? {});
        // an output that is an input unchanged must be a tensor of its own (the caller disposes outputs)
        const own = (t: tf.Tensor) => (given.has(t) ? t.clone() : t);
        return Array.isArray(out) ? out.map(own) : own(out);
      }) as TensorInfo | TensorInfo[],
  };
}

/**
 * One step of tfjs's autodiff replayed by hand: the gradient tfjs registers for `kernel`, called
 * with the tensors its GradConfig saves (inputs in `inputsToSave` order, then saved outputs) and
 * the attributes the op passed. A cpu gradient kernel calls these in reverse tape order and sums a
 * tensor's contributions in the order the tape would (add(previous, next)), which reproduces the
 * old composite's gradient bit for bit.
 */
export function tapeStep(kernel: string, dy: tf.Tensor, saved: tf.Tensor[], attrs: object = {}): Record<string, () => tf.Tensor> {
  const g = tf.getGradient(kernel);
  if (!g) throw new Error(`tapeStep: tfjs registers no gradient for ${kernel}`);
  return g.gradFunc(dy, saved, attrs as NamedAttrMap) as Record<string, () => tf.Tensor>;
}
