/**
 * Feedback: one object that lets the same model code train with BP, DFA, FA or shallow.
 *
 * A model marks, in its forward:
 *   - `h = fb.point(h, name)` after each hidden block (after its nonlinearity): where DFA's
 *     feedback enters; it returns what the next block must consume;
 *   - `out = fb.output(out)` where the global error e = dL/d(out) is taken: the network output
 *     before the loss, or any tensor the suite chooses (a Transformer's last hidden state, before
 *     the vocabulary projection: the layers above it then learn by their true gradient);
 *   - `fb.dense(x, W, b)` for weight layers that FA should treat (plain x·W + b otherwise),
 * and trains with `fb.grads(() => loss, vars)`.
 *
 * How DFA stays lean on tfjs's tape (which prunes every node not on a path from the variables):
 *   - point(h) hands the next block a *detached* view of h, so the next block's matmul has no
 *     recorded path to h: its x-gradient (W^T·delta) is never formed;
 *   - output(out) records one "join" op whose value is `out` and whose inputs are `out` and every
 *     point marked since the previous output. Its backward receives e, passes it on to `out`
 *     unchanged (the layers above get their true gradient) and gives point i the DFA signal
 *     (e · B[:, :width_i]) · s. Because the points are its inputs, the join stays on the tape even
 *     when `out` itself is a detached point (the Transformer's error before the projection).
 *   Inside a block gradients are exact; across a point only the projected error passes.
 * Several outputs in one forward (`output(out, 'fine')`): each takes the points marked since the
 * previous output and has its own matrix (NeRF's coarse and fine networks in one pass).
 * Shallow detaches at every point and feeds nothing back: hidden variables get no gradient at all
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
import { customOp, detach, gradients, type LazyGrads } from './tape';

export interface FeedbackOptions {
  method: Method | string;
  /** Seed of the feedback matrices (default 0): B comes from `new Rng(seed).fork('feedback')`. */
  seed?: number;
  /** Alternative to `seed`: matrices come from `rng.fork('feedback')` (rng is not advanced). */
  rng?: Rng;
  /**
   * The stream DFA's matrix (of the unnamed output) is drawn from, when a suite must keep the
   * matrices of its earlier runs (default `rng.fork('feedback').fork('dfa')`).
   */
  dfaRng?: Rng;
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
  /** DFA's matrix of the unnamed output */
  dfa: MatrixState | null;
  fa: Record<string, MatrixState>;
  /** DFA's matrices of named outputs */
  heads?: Record<string, MatrixState>;
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
  /** index of the output (in this pass) whose error this point receives */
  head: number;
  /** DFA training: the point's tensor before detaching (an input of its output's join) */
  h?: tf.Tensor;
  fit?: Fit;
}

interface PassHead {
  /** '' for the unnamed output */
  key: string;
  outShape: number[];
  /** DFA: e as rows [positions, outDim], set when the backward reaches the join */
  e2d?: tf.Tensor2D;
  /** DFA: e · B_i per width (kept until the pass ends) */
  rows: Map<number, tf.Tensor2D>;
  /** alignment: e as the BP pass saw it */
  e?: tf.Tensor;
}

const DEFAULT_HEAD = '';

export class Feedback {
  readonly method: Method;
  readonly scaling: Scaling;
  private readonly base: Rng;
  private readonly rng: Rng;
  private readonly dfaRng?: Rng;
  private readonly maxWidthOpt?: number;
  private readonly outDimOpt?: number;
  /** DFA matrices by output name ('' = the unnamed output) */
  private readonly matrices = new Map<string, FeedbackMatrix>();
  private readonly fa = new Map<string, { B: tf.Tensor2D; W: tf.Variable }>();
  /** FA matrices restored by setState(), attached to their layer at its next FA forward. */
  private readonly pendingFa = new Map<string, MatrixState>();

  // State of the pass in progress (one forward + backward).
  private mode: Mode = 'off';
  private tapMethod: 'bp' | 'fa' = 'bp';
  private points: PassPoint[] = [];
  private heads: PassHead[] = [];
  private denseCount = 0;
  private taps = new Map<string, tf.Tensor>();
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
    this.base = opts.rng ?? new Rng(opts.seed ?? 0);
    this.rng = this.base.fork('feedback');
    this.dfaRng = opts.dfaRng;
    if (this.method === 'dfa' && this.maxWidthOpt && this.outDimOpt) this.ensureMatrix(DEFAULT_HEAD, this.outDimOpt, []);
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
    if (this.points.some((p) => p.name === pname)) throw new Error(`Feedback: feedback point name '${pname}' used twice in one forward`);
    const p: PassPoint = { name: pname, shape: h.shape.slice(), head: this.heads.length };
    this.points.push(p);
    if (this.mode === 'tap') return this.tap(h, pname);
    switch (this.method) {
      case 'bp':
      case 'fa':
        return h;
      case 'shallow':
        return detach(h);
      case 'dfa':
        this.checkWidth(pname, h.shape[h.rank - 1]!, undefined);
        p.h = h;
        return detach(h);
    }
  }

  /**
   * Where the global error e = dL/d(out) is taken. Returns out. `head` names an output when a
   * forward has several (each with the points marked since the previous output, and its own B).
   */
  output(out: tf.Tensor, head: string = DEFAULT_HEAD): tf.Tensor {
    if (this.mode === 'off') return out;
    if (this.heads.some((h) => h.key === head)) {
      throw new Error(`Feedback: output(${head ? `'${head}'` : ''}) called twice in one forward; mark the single tensor the error is taken at${head ? '' : ', or name each output'}`);
    }
    if (out.rank < 1) throw new Error('Feedback: output() needs a tensor with an output dim (last dim), got a scalar');
    const idx = this.heads.length;
    const hd: PassHead = { key: head, outShape: out.shape.slice(), rows: new Map() };
    this.heads.push(hd);
    const mine = this.points.filter((p) => p.head === idx);
    if (this.mode === 'tap') return this.errorTap(out, hd);
    if (this.method !== 'dfa' || mine.length === 0) return out;
    const m = this.ensureMatrix(head, out.shape[out.rank - 1]!, mine);
    for (const p of mine) {
      this.checkWidth(p.name, p.shape[p.shape.length - 1]!, m);
      p.fit = fitOf(p, hd.outShape);
    }
    return this.join(out, hd, m, mine);
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
    const lead = x.shape.slice(0, -1);
    const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, nin]) as tf.Tensor2D;
    let y: tf.Tensor2D;
    if (this.usesFa()) {
      y = this.faDense(x2, W as tf.Tensor2D, b, this.faMatrix(lname, W));
    } else {
      y = tf.matMul(x2, W as tf.Tensor2D);
      if (b) y = tf.add(y, b);
    }
    return x.rank === 2 ? y : tf.reshape(y, [...lead, nout]);
  }

  /** True inside a training or alignment pass that treats dense layers with FA. */
  usesFa(): boolean {
    return (this.mode === 'train' && this.method === 'fa') || (this.mode === 'tap' && this.tapMethod === 'fa');
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
        this.checkAllPointsFed();
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
          const hd = bp.heads[p.head];
          if (!hd?.e) throw new Error(`DFA alignment: no output() after feedback point '${p.name}'`);
          const e = hd.e;
          const width = p.shape[p.shape.length - 1]!;
          const m = this.ensureMatrix(hd.key, e.shape[e.rank - 1]!, bp.points.filter((q) => q.head === p.head));
          this.checkWidth(p.name, width, m);
          const s = tf.tidy(() => {
            const e2d = tf.reshape(e, [-1, e.shape[e.rank - 1]!]) as tf.Tensor2D;
            return fitSignal(tf.matMul(e2d, m.slice(width, p.name)), e.shape, p.shape, fitOf(p, e.shape));
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
        for (const h of r.heads) h.e?.dispose();
        for (const t of r.taps.values()) t.dispose();
      }
    }
  }

  /**
   * Angle (degrees) between each feedback matrix and the forward weights it replaces.
   * fa: per dense layer, B_l vs W^T. dfa: per point i, B_i vs (W_{i+1}···W_out)^T, the linear part
   * of the path from h_i to the output; pass `paths[name] = [W_{i+1}, ..., W_out]` ([in, out] each).
   */
  matrixAngles(paths: Record<string, tf.Tensor[]> = {}, head: string = DEFAULT_HEAD): MatrixAngle[] {
    if (this.method === 'fa') {
      return [...this.fa.entries()].map(([name, { B, W }]) => {
        const wt = tf.transpose(W);
        const deg = angleDeg(B, wt);
        wt.dispose();
        return { name, degrees: deg };
      });
    }
    const m = this.matrices.get(head);
    if (this.method !== 'dfa' || !m) return [];
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

  /** DFA's B of the unnamed output (outDim × maxWidth, unscaled), or null before the first DFA forward. Owned here. */
  get feedbackMatrix(): tf.Tensor2D | null {
    return this.matrices.get(DEFAULT_HEAD)?.B ?? null;
  }

  /** DFA's B of a named output, or null before its first DFA forward. */
  feedbackMatrixOf(head: string): tf.Tensor2D | null {
    return this.matrices.get(head)?.B ?? null;
  }

  /** Replace DFA's B (e.g. to test, or to restore). Shape (outDim, maxWidth). */
  setFeedbackMatrix(B: tf.Tensor2D | MatrixState, head: string = DEFAULT_HEAD): void {
    const st: MatrixState = B instanceof tf.Tensor ? { shape: B.shape as [number, number], data: B.dataSync() as Float32Array } : B;
    if (this.maxWidthOpt && st.shape[1] < this.maxWidthOpt) {
      throw new Error(`Feedback: the feedback matrix has ${st.shape[1]} columns, fewer than maxWidth ${this.maxWidthOpt}`);
    }
    this.matrices.get(head)?.dispose();
    this.matrices.set(head, new FeedbackMatrix(st.shape[0], st.shape[1], this.scaling, Float32Array.from(st.data)));
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
    const heads: Record<string, MatrixState> = {};
    for (const [k, m] of this.matrices) if (k !== DEFAULT_HEAD) heads[k] = m.getState();
    return { dfa: this.matrices.get(DEFAULT_HEAD)?.getState() ?? null, fa, ...(Object.keys(heads).length ? { heads } : {}) };
  }

  /** Restore matrices saved by getState(). FA matrices are re-attached to their layers by name on the next forward. */
  setState(s: FeedbackState): void {
    if (s.dfa) this.setFeedbackMatrix(s.dfa);
    for (const [k, m] of Object.entries(s.heads ?? {})) this.setFeedbackMatrix(m, k);
    for (const [n, m] of Object.entries(s.fa)) {
      const old = this.fa.get(n);
      old?.B.dispose();
      this.pendingFa.set(n, m);
      this.fa.delete(n);
    }
  }

  dispose(): void {
    for (const m of this.matrices.values()) m.dispose();
    this.matrices.clear();
    for (const { B } of this.fa.values()) B.dispose();
    this.fa.clear();
  }

  // ------------------------------------------------------------------ internals

  private beginPass(mode: Mode): void {
    if (this.mode !== 'off') throw new Error('Feedback: grads()/alignment() called inside another one');
    this.mode = mode;
    this.points = [];
    this.heads = [];
    this.denseCount = 0;
  }

  private endPass(): void {
    this.lastPoints = this.points.map((p) => p.name);
    this.mode = 'off';
    for (const h of this.heads) for (const r of h.rows.values()) r.dispose();
    this.points = [];
    this.heads = [];
  }

  /** DFA: every point must be followed by an output whose error it receives. */
  private checkAllPointsFed(): void {
    if (this.method !== 'dfa') return;
    const orphans = this.points.filter((p) => p.head >= this.heads.length);
    if (!orphans.length) return;
    if (!this.heads.length) {
      throw new Error(`DFA: the forward marked feedback points (${orphans.map((p) => p.name).join(', ')}) but never called output(out), where DFA takes its global error`);
    }
    throw new Error(`DFA: feedback point${orphans.length > 1 ? 's' : ''} ${orphans.map((p) => `'${p.name}'`).join(', ')} marked after the last output(); feedback points must come before the output whose error they receive`);
  }

  private checkWidth(name: string, width: number, m: FeedbackMatrix | undefined): void {
    const max = m?.maxWidth ?? this.maxWidthOpt;
    if (max !== undefined && width > max) {
      throw new Error(
        `feedback point '${name}' has width ${width}, wider than the feedback matrix allows ` +
          `(${max} columns); create the Feedback with maxWidth >= ${width}`,
      );
    }
  }

  /** The matrix of output `head`, drawn at its first use (as wide as its widest point, or maxWidth). */
  private ensureMatrix(head: string, outDim: number, points: PassPoint[]): FeedbackMatrix {
    const have = this.matrices.get(head);
    if (have) {
      if (have.outDim !== outDim) {
        throw new Error(`DFA: the network output${head ? ` '${head}'` : ''} has ${outDim} values per position but the feedback matrix has ${have.outDim} rows`);
      }
      return have;
    }
    if (this.outDimOpt && this.outDimOpt !== outDim) {
      throw new Error(`DFA: the network output has ${outDim} values per position but outDim ${this.outDimOpt} was given`);
    }
    const widest = Math.max(0, ...points.map((p) => p.shape[p.shape.length - 1]!));
    const maxWidth = this.maxWidthOpt ?? widest;
    const stream = head === DEFAULT_HEAD ? (this.dfaRng ?? this.rng.fork('dfa')) : this.base.fork(head).fork('feedback').fork('dfa');
    const m = new FeedbackMatrix(outDim, Math.max(1, maxWidth), this.scaling, stream);
    this.matrices.set(head, m);
    return m;
  }

  /**
   * The DFA output op: value `out`; backward: e to `out`, (e · B_i) · s to each point (lazily,
   * so the engine asks only for the points on a path from the variables).
   */
  private join(out: tf.Tensor, hd: PassHead, m: FeedbackMatrix, points: PassPoint[]): tf.Tensor {
    const c = out.shape[out.rank - 1]!;
    const inputs: Record<string, tf.Tensor> = { x: out };
    points.forEach((p, i) => (inputs[`p${i}`] = p.h!));
    return customOp(
      inputs,
      () => out.clone(),
      (dy) => {
        hd.e2d = tf.reshape(dy, [-1, c]) as tf.Tensor2D;
        const g: LazyGrads = { x: () => dy.clone() };
        const widest = Math.max(...points.map((p) => p.shape[p.shape.length - 1]!));
        points.forEach((p, i) => (g[`p${i}`] = () => this.signal(hd, m, p, widest)));
        return g;
      },
    );
  }

  /**
   * Point p's signal: e · (s·B) computed once per output for the widest point, narrower points
   * taking its first columns (as TinyDFA: one product for every point; 'layer' scaling, whose
   * scale differs per width, gives narrower points a product of their own).
   */
  private signal(hd: PassHead, m: FeedbackMatrix, p: PassPoint, widest: number): tf.Tensor {
    const width = p.shape[p.shape.length - 1]!;
    let rows = hd.rows.get(width);
    if (!rows) {
      // kept: the engine runs each input's gradient in its own tidy; the rows serve every point of this width
      let full = hd.rows.get(widest);
      if (m.scaling === 'layer' && width !== widest) {
        rows = tf.keep(tf.matMul(hd.e2d!, m.slice(width, p.name))) as tf.Tensor2D; // its own scale 1/sqrt(width)
      } else {
        if (!full) {
          full = tf.keep(tf.matMul(hd.e2d!, m.slice(widest, p.name))) as tf.Tensor2D;
          hd.rows.set(widest, full);
        }
        rows = width === widest ? full : (tf.keep(tf.slice(full, [0, 0], [full.shape[0], width])) as tf.Tensor2D);
      }
      hd.rows.set(width, rows);
    }
    return fitSignal(rows, hd.outShape, p.shape, p.fit ?? 'same');
  }

  /** Identity on out whose backward records e (alignment's BP pass) and passes it on. */
  private errorTap(out: tf.Tensor, hd: PassHead): tf.Tensor {
    return customOp(
      { x: out },
      () => out.clone(),
      (dy) => {
        hd.e = tf.keep(dy.clone());
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
    let points: PassPoint[] = [];
    let heads: PassHead[] = [];
    try {
      const r = gradients(() => {
        const loss = f();
        checkLoss(loss);
        return loss;
      }, vars);
      r.value.dispose();
      tf.dispose(r.grads.filter((g): g is tf.Tensor => !!g));
      points = this.points.slice();
      heads = this.heads.slice();
    } catch (err) {
      for (const t of this.taps.values()) t.dispose();
      for (const h of this.heads) h.e?.dispose();
      throw err;
    } finally {
      this.endPass();
    }
    const res = { points, heads, taps: this.taps };
    this.taps = new Map();
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
