/**
 * The two tape primitives the feedback methods are built on. Both reach into tfjs-core's Engine
 * (pinned at 4.22), because its public API has neither:
 *
 * - `detach(t)`: a new tensor on the same data with no tape record, so `tf.engine().gradients`
 *   prunes every path through it (what PyTorch calls `detach()`). Done exactly like the cpu
 *   backend's Identity kernel (incRef + a new Tensor on the same dataId), just without recording.
 * - `customOp(...)`: a recorded op whose gradient is a *lazy* closure per input, like a
 *   registered kernel's gradient. `tf.customGrad` computes every input's gradient eagerly, even
 *   for inputs the tape has pruned (a layer fed by data or by a detached tensor), which would
 *   waste exactly the W^T·delta products DFA is meant to skip.
 */
import * as tf from '@tensorflow/tfjs';

export type LazyGrads = Record<string, () => tf.Tensor>;

interface EngineInternals {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => LazyGrads;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor;
}

/** A view of `t` that gradients never flow through. Dispose it like any tensor. */
export function detach<T extends tf.Tensor>(t: T): T {
  tf.backend().incRef(t.dataId);
  return tf.engine().makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }) as T;
}

/**
 * Run `forward` (tape off inside) and record one tape node with inputs `inputs`. `backward(dy,
 * saved)` returns one lazy gradient per input name; the engine calls only those of inputs on a
 * path from the differentiated variables. `save` keeps tensors alive until the backward pass.
 */
export function customOp(
  inputs: Record<string, tf.Tensor>,
  forward: (save: (tensors: tf.Tensor[]) => void) => tf.Tensor,
  backward: (dy: tf.Tensor, saved: tf.Tensor[]) => LazyGrads,
): tf.Tensor {
  const engine = tf.engine() as unknown as EngineInternals;
  return engine.runKernelFunc({ forwardFunc: (_b, save) => forward(save), backwardsFunc: backward, inputs });
}

/** Gradients of the scalar `f()` w.r.t. `xs`; entries are undefined for unreached xs. */
export function gradients(f: () => tf.Scalar, xs: tf.Tensor[]): { value: tf.Scalar; grads: (tf.Tensor | undefined)[] } {
  const r = tf.engine().gradients(f, xs, undefined, true);
  return { value: r.value as tf.Scalar, grads: r.grads as (tf.Tensor | undefined)[] };
}
