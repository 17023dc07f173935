/**
 * Optimizer base: parameter groups (weight decay and an lr multiplier per group), per-variable
 * slots and step counts, and state for checkpoints. Subclasses implement ONE function,
 * `update(v, g, lr, wd, t)`, the whole per-variable update (one engine step, src/engine/optim_step.ts).
 *
 * apply(grads) updates only the variables present in `grads`: a variable that got no gradient
 * (hidden layers under shallow) gets no update and no weight decay. apply() consumes (disposes)
 * the gradient tensors.
 */
import * as tf from '@tensorflow/tfjs';

export interface ParamGroup {
  vars: tf.Variable[];
  weightDecay?: number;
  /** multiplies the (scheduled) learning rate for this group */
  lrScale?: number;
}

export interface OptimizerOptions {
  lr: number;
  /** default weight decay for variables outside any group */
  weightDecay?: number;
  groups?: ParamGroup[];
}

export interface SavedTensor {
  shape: number[];
  data: Float32Array;
}

/** Serializable optimizer state; variables are keyed by the caller's names. */
export interface OptimizerState {
  kind: string;
  lr: number;
  steps: Record<string, number>;
  slots: Record<string, Record<string, SavedTensor>>;
}

export abstract class Optimizer {
  abstract readonly kind: string;
  /** current learning rate (a schedule may set it before each step) */
  lr: number;
  readonly weightDecay: number;
  protected readonly slots = new Map<tf.Variable, Record<string, tf.Tensor>>();
  protected readonly steps = new Map<tf.Variable, number>();
  private readonly groupOf = new Map<tf.Variable, ParamGroup>();

  constructor(o: OptimizerOptions) {
    if (!(o.lr >= 0) || !Number.isFinite(o.lr)) throw new Error(`optimizer: lr must be a finite number >= 0, got ${o.lr}`);
    this.lr = o.lr;
    this.weightDecay = o.weightDecay ?? 0;
    if (!(this.weightDecay >= 0)) throw new Error(`optimizer: weightDecay must be >= 0, got ${o.weightDecay}`);
    for (const g of o.groups ?? []) {
      for (const v of g.vars) {
        if (this.groupOf.has(v)) throw new Error('optimizer: a variable is in two parameter groups');
        this.groupOf.set(v, g);
      }
    }
  }

  apply(grads: Map<tf.Variable, tf.Tensor>): void {
    for (const [v, g] of grads) {
      const grp = this.groupOf.get(v);
      const t = (this.steps.get(v) ?? 0) + 1;
      this.steps.set(v, t);
      const lr = this.lr * (grp?.lrScale ?? 1);
      const wd = grp?.weightDecay ?? this.weightDecay;
      this.update(v, g, lr, wd, t);
      g.dispose();
    }
  }

  /** The whole update of one variable (t = this variable's step count, from 1). */
  protected abstract update(v: tf.Variable, g: tf.Tensor, lr: number, wd: number, t: number): void;

  /** A slot tensor of v (created as zeros). */
  protected slot(v: tf.Variable, name: string): tf.Tensor {
    let s = this.slots.get(v);
    if (!s) this.slots.set(v, (s = {}));
    return (s[name] ??= tf.keep(tf.zerosLike(v)));
  }

  /** Replace a slot (disposes the old one, keeps the new). */
  protected setSlot(v: tf.Variable, name: string, t: tf.Tensor): void {
    let s = this.slots.get(v);
    if (!s) this.slots.set(v, (s = {}));
    s[name]?.dispose();
    s[name] = tf.keep(t);
  }

  getState(names: Map<tf.Variable, string>): OptimizerState {
    const steps: Record<string, number> = {};
    const slots: Record<string, Record<string, SavedTensor>> = {};
    for (const [v, t] of this.steps) steps[nameOf(names, v)] = t;
    for (const [v, s] of this.slots) {
      slots[nameOf(names, v)] = Object.fromEntries(Object.entries(s).map(([k, x]) => [k, { shape: x.shape, data: x.dataSync() as Float32Array }]));
    }
    return { kind: this.kind, lr: this.lr, steps, slots };
  }

  setState(st: OptimizerState, names: Map<tf.Variable, string>): void {
    if (st.kind !== this.kind) throw new Error(`optimizer state is for '${st.kind}', this optimizer is '${this.kind}'`);
    const byName = new Map([...names].map(([v, n]) => [n, v]));
    this.dispose();
    this.lr = st.lr;
    for (const [n, t] of Object.entries(st.steps)) this.steps.set(varOf(byName, n), t);
    for (const [n, s] of Object.entries(st.slots)) {
      const v = varOf(byName, n);
      this.slots.set(v, Object.fromEntries(Object.entries(s).map(([k, x]) => [k, tf.keep(tf.tensor(x.data, x.shape))])));
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) tf.dispose(Object.values(s));
    this.slots.clear();
    this.steps.clear();
  }
}

function nameOf(names: Map<tf.Variable, string>, v: tf.Variable): string {
  const n = names.get(v);
  if (n === undefined) throw new Error('optimizer state: a variable has no name in the given map');
  return n;
}

function varOf(byName: Map<string, tf.Variable>, n: string): tf.Variable {
  const v = byName.get(n);
  if (!v) throw new Error(`optimizer state: no variable named '${n}' in this model`);
  return v;
}
