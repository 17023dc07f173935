/**
 * Feedback: one object that lets the same model code train with BP, DFA, FA or shallow.
 *
 * A model marks, in its forward:
 *   - `h = fb.point(h)` after each hidden block (after its nonlinearity): where DFA's feedback enters;
 *   - `out = fb.output(out)` at the network output, before the loss and any parameter-free
 *     post-processing: where the global error e = dL/d(out) is taken;
 *   - `fb.dense(x, W, b)` for weight layers that FA should treat (plain x·W + b otherwise).
 * and trains with `fb.grads(() => loss, vars)`.
 *
 * How DFA stays lean on tfjs's tape (which prunes inputs not reached from the variables and runs
 * nodes in strict reverse recording order):
 *   - point(h) records `inject(h)`, an op returning a scalar 0 whose gradient w.r.t. h is the DFA
 *     signal (e · B[:, :width]) · s, and returns a *detached* view of h to the next block. So the
 *     next block's matmul has no recorded path to h: its x-gradient (W^T·delta) is never formed.
 *   - output(out) records an identity whose gradient stores dy = e and passes it on (the top block
 *     gets its true gradient).
 *   - grads() differentiates loss + Σ inject_i (= loss, numerically). The output tap is recorded
 *     after every inject op, so backprop reaches it first and e is known when the injects run.
 *   Inside a block gradients are exact; across a point only the projected error passes.
 * Shallow detaches at every point and injects nothing: hidden variables get no gradient at all
 * (so optimizers give them no update and no weight decay).
 * FA: dense() under 'fa' sends dy · B_l to x, B_l a fixed random matrix shaped like W^T.
 *
 * Outside grads()/alignment() (evaluation, inference) point/output/dense are plain forwards.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../engine/rng';
import { type AlignOver, type AlignmentStat, alignmentStat, angleDeg } from './alignment';
import { FeedbackMatrix, type MatrixState, type Scaling } from './matrix';
import { type Method, parseMethod } from './methods';
import { customOp, detach, gradients } from './tape';

export interface FeedbackOptions {
  method: Method | string;
  /** Seed of the feedback matrices (default 0): B comes from `new Rng(seed).fork('feedback')`. */
  seed?: number;
  /** Alternative to `seed`: matrices come from `rng.fork('feedback')` (rng is not advanced). */
  rng?: Rng;
  /** DFA scale: 'widest' (default) = 1/sqrt(maxWidth) as TinyDFA and the anchors; 'layer' = 1/sqrt(width). */
  scaling?: Scaling;
  /** Columns of DFA's B; default: the widest feedback point of the first training forward. */
  maxWidth?: number;
  /** Rows of DFA's B; default: the last dim of the first output(). */
  outDim?: number;
}

export interface MatrixAngle {
  name: string;
  degrees: number;
}

export interface FeedbackState {
  dfa: MatrixState | null;
  fa: Record<string, MatrixState>;
}

export interface GradsResult {
  /** the loss (dispose it) */
  value: tf.Scalar;
  /** gradient per variable that received one (dispose them); absent = no update for that variable */
  grads: Map<tf.Variable, tf.Tensor>;
}

type Mode = 'off' | 'train' | 'tap';
type Fit = 'same' | 'prefix';

interface PassPoint {
  name: string;
  shape: number[];
  fit?: Fit;
}

export class Feedback {
  readonly method: Method;
  readonly scaling: Scaling;
  private readonly rng: Rng;
  private readonly maxWidthOpt?: number;
  private readonly outDimOpt?: number;
  private matrix: FeedbackMatrix | null = null;
  private readonly fa = new Map<string, { B: tf.Tensor2D; W: tf.Variable }>();
  /** FA matrices restored by setState(), attached to their layer at its next FA forward. */
  private readonly pendingFa = new Map<string, MatrixState>();

  // State of the pass in progress (one forward + backward).
  private mode: Mode = 'off';
  private tapMethod: 'bp' | 'fa' = 'bp';
  private points: PassPoint[] = [];
  private injects: tf.Scalar[] = [];
  private denseCount = 0;
  private outShape: number[] | null = null;
  private e2d: tf.Tensor2D | null = null;
  private signalRows = new Map<number, tf.Tensor2D>();
  private taps = new Map<string, tf.Tensor>();
  private tapE: tf.Tensor | null = null;
  private lastPoints: string[] = [];

  constructor(opts: FeedbackOptions) {
    if (!opts || typeof opts !== 'object') throw new Error('Feedback: options { method } are required');
    this.method = parseMethod(String(opts.method));
    this.scaling = opts.scaling ?? 'widest';
    if (this.scaling !== 'widest' && this.scaling !== 'layer') {
      throw new Error(`Feedback: scaling must be 'widest' or 'layer', got '${String(opts.scaling)}'`);
    }
    for (const k of ['maxWidth', 'outDim'] as const) {
      const v = opts[k];
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`Feedback: ${k} must be a positive integer, got ${v}`);
    }
    this.maxWidthOpt = opts.maxWidth;
    this.outDimOpt = opts.outDim;
    this.rng = (opts.rng ?? new Rng(opts.seed ?? 0)).fork('feedback');
    if (this.method === 'dfa' && this.maxWidthOpt && this.outDimOpt) this.ensureMatrix(this.outDimOpt);
  }

  /** Names of the feedback points seen in the last training or alignment pass, in order. */
  get pointNames(): string[] {
    return [...this.lastPoints];
  }

  // ------------------------------------------------------------------ forward markers

  /**
   * Feedback point on a hidden activation h (after its nonlinearity or after a block); leading
   * dims arbitrary, last dim = width. Returns what the next block must consume: h itself under
   * bp/fa, a detached view under dfa/shallow (no gradient crosses it).
   */
  point(h: tf.Tensor, name?: string): tf.Tensor {
    if (this.mode === 'off') return h;
    const pname = name ?? `h${this.points.length + 1}`;
    if (h.rank < 1) throw new Error(`Feedback: feedback point '${pname}' must have a width (last dim), got a scalar`);
    if (this.outShape) {
      throw new Error(`Feedback: point('${pname}') called after output(); feedback points must come before the network output in the forward`);
    }
    if (this.points.some((p) => p.name === pname)) throw new Error(`Feedback: feedback point name '${pname}' used twice in one forward`);
    const width = h.shape[h.rank - 1]!;
    if (this.method === 'dfa' && this.mode === 'train') this.checkWidth(pname, width);
    this.points.push({ name: pname, shape: h.shape.slice() });
    if (this.mode === 'tap') return this.tap(h, pname);
    switch (this.method) {
      case 'bp':
      case 'fa':
        return h;
      case 'shallow':
        return detach(h);
      case 'dfa':
        // kept: a forward wrapped in tf.tidy inside f must not dispose it before grads() sums it in
        this.injects.push(tf.keep(this.inject(h, pname)));
        return detach(h);
    }
  }

  /** The network output, where the global error e = dL/d(out) is taken. Returns out. */
  output(out: tf.Tensor): tf.Tensor {
    if (this.mode === 'off') return out;
    if (this.outShape) throw new Error('Feedback: output() called twice in one forward; mark the single tensor the error is taken at');
    if (out.rank < 1) throw new Error('Feedback: output() needs a tensor with an output dim (last dim), got a scalar');
    this.outShape = out.shape.slice();
    if (this.mode === 'tap') return this.errorTap(out, true);
    if (this.method !== 'dfa' || this.points.length === 0) return out;
    this.ensureMatrix(out.shape[out.rank - 1]!);
    for (const p of this.points) p.fit = fitOf(p, this.outShape);
    return this.errorTap(out, false);
  }

  /**
   * Weight layer y = x·W (+ b), W of shape [in, out], x with any leading dims. Under 'fa' the
   * gradient to x is dy · B_l (B_l a fixed random [out, in] matrix, per layer name) instead of dy · W^T.
   */
  dense(x: tf.Tensor, W: tf.Variable | tf.Tensor, b?: tf.Variable | tf.Tensor, name?: string): tf.Tensor {
    const lname = name ?? `dense${++this.denseCount}`;
    if (W.rank !== 2) throw new Error(`dense '${lname}': W must be a matrix [in, out], got shape [${W.shape}]`);
    const [nin, nout] = W.shape as [number, number];
    if (x.rank < 1 || x.shape[x.rank - 1] !== nin) {
      throw new Error(`dense '${lname}': input has shape [${x.shape}] but W is [${W.shape}]; the input's last dim must be ${nin}`);
    }
    if (b && (b.rank !== 1 || b.shape[0] !== nout)) throw new Error(`dense '${lname}': bias has shape [${b.shape}], expected [${nout}]`);
    const useFa = (this.mode === 'train' && this.method === 'fa') || (this.mode === 'tap' && this.tapMethod === 'fa');
    const lead = x.shape.slice(0, -1);
    const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, nin]) as tf.Tensor2D;
    let y: tf.Tensor2D;
    if (useFa) {
      y = this.faDense(x2, W as tf.Tensor2D, b, this.faMatrix(lname, W));
    } else {
      y = tf.matMul(x2, W as tf.Tensor2D);
      if (b) y = tf.add(y, b);
    }
    return x.rank === 2 ? y : tf.reshape(y, [...lead, nout]);
  }

  // ------------------------------------------------------------------ training

  /**
   * One step's forward + backward: f builds the forward (calling point/output/dense) and returns
   * the scalar loss. Returns the loss and the gradients the method gives; variables that get no
   * gradient (hidden layers under shallow, unused variables) are absent from the map.
   */
  grads(f: () => tf.Scalar, vars: tf.Variable[]): GradsResult {
    if (!vars.length) throw new Error('Feedback.grads: no variables to differentiate');
    this.beginPass('train');
    try {
      const { value, grads } = gradients(() => {
        const loss = f();
        checkLoss(loss);
        if (this.injects.length) {
          if (!this.outShape) {
            throw new Error(`DFA: the forward marked feedback points (${this.points.map((p) => p.name).join(', ')}) but never called output(out), where DFA takes its global error`);
          }
          return tf.addN([loss, ...this.injects]) as tf.Scalar;
        }
        return loss;
      }, vars);
      const map = new Map<tf.Variable, tf.Tensor>();
      grads.forEach((g, i) => {
        if (g) map.set(vars[i]!, g);
      });
      return { value, grads: map };
    } finally {
      this.endPass();
    }
  }

  // ------------------------------------------------------------------ alignment

  /**
   * Per feedback point, the per-sample cosine between the signal this method delivers there and
   * the gradient BP delivers there, for the same weights (mean, std). f must be deterministic
   * (no dropout): it runs once (bp, dfa) or twice (fa). Shallow delivers nothing: [].
   * `inspect` (DFA) sees each point's delivered signal and BP gradient before they are freed,
   * for measures derived from them (e.g. a projection onto a layer's weights).
   */
  async alignment(f: () => tf.Scalar, vars: tf.Variable[], opts: { over?: AlignOver; inspect?: (name: string, delivered: tf.Tensor, bp: tf.Tensor) => void } = {}): Promise<AlignmentStat[]> {
    if (this.method === 'shallow') return [];
    const over = opts.over ?? 'row';
    const bp = this.tapPass(f, vars, 'bp');
    const other = this.method === 'fa' ? this.tapPass(f, vars, 'fa') : null;
    try {
      const out: AlignmentStat[] = [];
      for (const p of bp.points) {
        const g = bp.taps.get(p.name);
        if (!g) continue;
        if (this.method === 'dfa') {
          if (!bp.e) throw new Error('DFA alignment: the forward never called output(out)');
          const width = p.shape[p.shape.length - 1]!;
          this.checkWidth(p.name, width);
          this.ensureMatrix(bp.e.shape[bp.e.rank - 1]!);
          const s = tf.tidy(() => {
            const e2d = tf.reshape(bp.e!, [-1, bp.e!.shape[bp.e!.rank - 1]!]) as tf.Tensor2D;
            return fitSignal(tf.matMul(e2d, this.matrix!.slice(width, p.name)), bp.e!.shape, p.shape, fitOf(p, bp.e!.shape));
          });
          out.push(alignmentStat(p.name, s, g, over));
          opts.inspect?.(p.name, s, g);
          s.dispose();
        } else {
          const d = this.method === 'fa' ? other!.taps.get(p.name) : g;
          if (d) out.push(alignmentStat(p.name, d, g, over));
        }
      }
      return out;
    } finally {
      for (const r of [bp, other]) {
        if (!r) continue;
        r.e?.dispose();
        for (const t of r.taps.values()) t.dispose();
      }
    }
  }

  /**
   * Angle (degrees) between each feedback matrix and the forward weights it replaces.
   * fa: per dense layer, B_l vs W^T. dfa: per point i, B_i vs (W_{i+1}···W_out)^T, the linear part
   * of the path from h_i to the output; pass `paths[name] = [W_{i+1}, ..., W_out]` ([in, out] each).
   */
  matrixAngles(paths: Record<string, tf.Tensor[]> = {}): MatrixAngle[] {
    if (this.method === 'fa') {
      return [...this.fa.entries()].map(([name, { B, W }]) => {
        const wt = tf.transpose(W);
        const deg = angleDeg(B, wt);
        wt.dispose();
        return { name, degrees: deg };
      });
    }
    if (this.method !== 'dfa' || !this.matrix) return [];
    const m = this.matrix;
    return Object.entries(paths).map(([name, ws]) => {
      if (!ws.length) throw new Error(`matrixAngles: empty weight path for '${name}'`);
      const width = ws[0]!.shape[0]!;
      const [bi, mt] = tf.tidy(() => {
        let p = ws[ws.length - 1]! as tf.Tensor2D;
        for (let i = ws.length - 2; i >= 0; i--) p = tf.matMul(ws[i]! as tf.Tensor2D, p);
        if (p.shape[1] !== m.outDim) throw new Error(`matrixAngles: path for '${name}' ends in ${p.shape[1]} outputs, the feedback matrix has ${m.outDim}`);
        return [tf.slice(m.B, [0, 0], [m.outDim, width]), tf.transpose(p)];
      });
      const deg = angleDeg(bi!, mt!);
      tf.dispose([bi!, mt!]);
      return { name, degrees: deg };
    });
  }

  // ------------------------------------------------------------------ matrices and state

  /** DFA's B (outDim × maxWidth, unscaled), or null before the first DFA forward. Owned here. */
  get feedbackMatrix(): tf.Tensor2D | null {
    return this.matrix?.B ?? null;
  }

  /** Replace DFA's B (e.g. to test, or to restore). Shape (outDim, maxWidth). */
  setFeedbackMatrix(B: tf.Tensor2D | MatrixState): void {
    const st: MatrixState = B instanceof tf.Tensor ? { shape: B.shape as [number, number], data: B.dataSync() as Float32Array } : B;
    if (this.maxWidthOpt && st.shape[1] < this.maxWidthOpt) {
      throw new Error(`Feedback: the feedback matrix has ${st.shape[1]} columns, fewer than maxWidth ${this.maxWidthOpt}`);
    }
    this.matrix?.dispose();
    this.matrix = new FeedbackMatrix(st.shape[0], st.shape[1], this.scaling, Float32Array.from(st.data));
  }

  /** FA: the [out, in] matrix used by dense layer `name` in place of W^T (null before its first FA forward). */
  faMatrixOf(name: string): tf.Tensor2D | null {
    return this.fa.get(name)?.B ?? null;
  }

  /** FA: set dense layer `name`'s feedback matrix ([out, in], i.e. shaped like W^T). */
  setFaMatrix(name: string, B: tf.Tensor2D, W: tf.Variable): void {
    if (B.rank !== 2 || B.shape[0] !== W.shape[1] || B.shape[1] !== W.shape[0]) {
      throw new Error(`FA matrix for '${name}' must be shaped like W^T [${W.shape[1]}, ${W.shape[0]}], got [${B.shape}]`);
    }
    this.fa.get(name)?.B.dispose();
    this.fa.set(name, { B: tf.keep(B.clone()), W });
  }

  /** Everything random about this Feedback, for checkpoints. */
  getState(): FeedbackState {
    const fa: Record<string, MatrixState> = {};
    for (const [n, m] of this.pendingFa) fa[n] = m;
    for (const [n, { B }] of this.fa) fa[n] = { shape: B.shape as [number, number], data: B.dataSync() as Float32Array };
    return { dfa: this.matrix?.getState() ?? null, fa };
  }

  /** Restore matrices saved by getState(). FA matrices are re-attached to their layers by name on the next forward. */
  setState(s: FeedbackState): void {
    if (s.dfa) this.setFeedbackMatrix(s.dfa);
    for (const [n, m] of Object.entries(s.fa)) {
      const old = this.fa.get(n);
      old?.B.dispose();
      this.pendingFa.set(n, m);
      this.fa.delete(n);
    }
  }

  dispose(): void {
    this.matrix?.dispose();
    this.matrix = null;
    for (const { B } of this.fa.values()) B.dispose();
    this.fa.clear();
  }

  // ------------------------------------------------------------------ internals

  private beginPass(mode: Mode): void {
    if (this.mode !== 'off') throw new Error('Feedback: grads()/alignment() called inside another one');
    this.mode = mode;
    this.points = [];
    this.injects = [];
    this.denseCount = 0;
    this.outShape = null;
    this.e2d = null;
    this.signalRows.clear();
  }

  private endPass(): void {
    this.lastPoints = this.points.map((p) => p.name);
    this.mode = 'off';
    tf.dispose(this.injects);
    this.injects = [];
    this.e2d = null; // disposed with the backward's scope
    this.signalRows.clear();
  }

  private checkWidth(name: string, width: number): void {
    const max = this.matrix?.maxWidth ?? this.maxWidthOpt;
    if (max !== undefined && width > max) {
      throw new Error(
        `feedback point '${name}' has width ${width}, wider than the feedback matrix allows ` +
          `(${max} columns); create the Feedback with maxWidth >= ${width}`,
      );
    }
  }

  private ensureMatrix(outDim: number): void {
    if (this.matrix) {
      if (this.matrix.outDim !== outDim) {
        throw new Error(`DFA: the network output has ${outDim} values per position but the feedback matrix has ${this.matrix.outDim} rows`);
      }
      return;
    }
    if (this.outDimOpt && this.outDimOpt !== outDim) {
      throw new Error(`DFA: the network output has ${outDim} values per position but outDim ${this.outDimOpt} was given`);
    }
    const widest = Math.max(0, ...this.points.map((p) => p.shape[p.shape.length - 1]!));
    const maxWidth = this.maxWidthOpt ?? widest;
    if (maxWidth < 1) return;
    this.matrix = new FeedbackMatrix(outDim, maxWidth, this.scaling, this.rng.fork('dfa'));
  }

  /** inject(h): value 0, gradient w.r.t. h = the DFA signal for h. */
  private inject(h: tf.Tensor, name: string): tf.Scalar {
    const shape = h.shape.slice();
    return customOp({ h }, () => tf.scalar(0), () => ({ h: () => this.signal(name, shape) })) as tf.Scalar;
  }

  private signal(name: string, shape: number[]): tf.Tensor {
    if (!this.e2d || !this.outShape) throw new Error(`DFA: no output error reached feedback point '${name}'; is the output's loss a function of it?`);
    const width = shape[shape.length - 1]!;
    let rows = this.signalRows.get(width);
    if (!rows) {
      rows = tf.matMul(this.e2d, this.matrix!.slice(width, name)) as tf.Tensor2D;
      this.signalRows.set(width, rows);
    }
    const p = this.points.find((q) => q.name === name)!;
    return fitSignal(rows, this.outShape, shape, p.fit ?? 'same');
  }

  /** Identity on out whose backward records e (DFA's global error) and passes it on. */
  private errorTap(out: tf.Tensor, keep: boolean): tf.Tensor {
    const c = out.shape[out.rank - 1]!;
    return customOp(
      { x: out },
      () => out.clone(),
      (dy) => {
        if (keep) this.tapE = tf.keep(dy.clone());
        else this.e2d = tf.reshape(dy, [-1, c]) as tf.Tensor2D;
        return { x: () => dy.clone() };
      },
    );
  }

  /** Identity on h whose backward records the gradient arriving at h (alignment). */
  private tap(h: tf.Tensor, name: string): tf.Tensor {
    return customOp(
      { x: h },
      () => h.clone(),
      (dy) => {
        this.taps.set(name, tf.keep(dy.clone()));
        return { x: () => dy.clone() };
      },
    );
  }

  private tapPass(f: () => tf.Scalar, vars: tf.Variable[], how: 'bp' | 'fa') {
    this.beginPass('tap');
    this.tapMethod = how;
    this.taps = new Map();
    this.tapE = null;
    let points: PassPoint[] = [];
    try {
      const r = gradients(() => {
        const loss = f();
        checkLoss(loss);
        return loss;
      }, vars);
      r.value.dispose();
      tf.dispose(r.grads.filter((g): g is tf.Tensor => !!g));
      points = this.points.slice();
    } catch (err) {
      for (const t of this.taps.values()) t.dispose();
      (this.tapE as tf.Tensor | null)?.dispose();
      throw err;
    } finally {
      this.endPass();
    }
    const res = { points, taps: this.taps, e: this.tapE as tf.Tensor | null };
    this.taps = new Map();
    this.tapE = null;
    return res;
  }

  private faMatrix(name: string, W: tf.Tensor): tf.Tensor2D {
    const have = this.fa.get(name);
    const [nin, nout] = W.shape as [number, number];
    if (have) {
      if (have.B.shape[0] !== nout || have.B.shape[1] !== nin) {
        throw new Error(`FA: dense layer '${name}' has W [${W.shape}] but its feedback matrix is [${have.B.shape}]; layer names must be unique`);
      }
      return have.B;
    }
    const pending = this.pendingFa.get(name);
    let data: Float32Array;
    if (pending) {
      if (pending.shape[0] !== nout || pending.shape[1] !== nin) throw new Error(`FA: restored feedback matrix for '${name}' is [${pending.shape}], expected [${nout}, ${nin}]`);
      data = Float32Array.from(pending.data);
      this.pendingFa.delete(name);
    } else {
      // Scaled like a Glorot-uniform weight, so FA's signals have the magnitude BP's would have at init.
      const a = Math.sqrt(6 / (nin + nout));
      data = this.rng.fork(`fa:${name}`).uniformArray(nin * nout, -a, a);
    }
    const B = tf.keep(tf.tensor2d(data, [nout, nin]));
    this.fa.set(name, { B, W: W as tf.Variable });
    return B;
  }

  /** y = x·W + b whose x-gradient is dy · B (B ≈ W^T's stand-in); W and b get their true gradients. */
  private faDense(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor | undefined, B: tf.Tensor2D): tf.Tensor2D {
    const inputs: Record<string, tf.Tensor> = { x, W };
    if (b) inputs.b = b;
    return customOp(
      inputs,
      (save) => {
        save([x]);
        const y = tf.matMul(x, W);
        return b ? tf.add(y, b) : y;
      },
      (dy, saved) => ({
        x: () => tf.matMul(dy as tf.Tensor2D, B),
        W: () => tf.matMul(saved[0]! as tf.Tensor2D, dy as tf.Tensor2D, true, false),
        b: () => tf.sum(dy, 0),
      }),
    ) as tf.Tensor2D;
  }
}

function checkLoss(loss: unknown): asserts loss is tf.Scalar {
  if (!(loss instanceof tf.Tensor)) throw new Error('Feedback.grads: f must return the loss as a scalar tensor');
  if (loss.rank !== 0) throw new Error(`Feedback.grads: f must return a scalar loss, got shape [${loss.shape}]`);
}

/** How the error's positions map onto a point's positions, or a clear error. */
function fitOf(p: PassPoint, outShape: number[]): Fit {
  const eLead = outShape.slice(0, -1);
  const hLead = p.shape.slice(0, -1);
  const prod = (a: number[]) => a.reduce((x, y) => x * y, 1);
  if (prod(eLead) === prod(hLead)) return 'same';
  if (eLead.length < hLead.length && eLead.every((d, i) => d === hLead[i])) return 'prefix';
  throw new Error(
    `DFA: feedback point '${p.name}' has shape [${p.shape}] but the output has shape [${outShape}]: their leading ` +
      `(position) dims must hold the same number of positions, or the output's must be a prefix of the point's`,
  );
}

/** Rows (positions × width) of e·B_i laid out as the point's shape (broadcast for a prefix fit). */
function fitSignal(rows: tf.Tensor2D, outShape: number[], shape: number[], fit: Fit): tf.Tensor {
  if (fit === 'same') return tf.reshape(rows, shape);
  const w = shape[shape.length - 1]!;
  const eLead = outShape.slice(0, -1);
  const ones = new Array(shape.length - 1 - eLead.length).fill(1);
  return tf.broadcastTo(tf.reshape(rows, [...eLead, ...ones, w]), shape);
}
