/**
 * Feedback: one object that lets the same model code train with every method of methods.ts:
 * bp, the direct methods (dfa, drtp), the layer-wise ones (fa, usf, brsf, frsf) and shallow.
 *
 * A model marks, in its forward:
 *   - `h = fb.point(h, name)` after each hidden block (after its nonlinearity): where DFA's
 *     feedback enters; it returns what the next block must consume;
 *   - `out = fb.output(out)` where the global error e = dL/d(out) is taken: the network output
 *     before the loss, or any tensor the suite chooses (a Transformer's last hidden state, before
 *     the vocabulary projection: the layers above it then learn by their true gradient);
 *   - `fb.dense(x, W, b)` / `fb.conv2d(x, W, b, geometry)` for weight layers the layer-wise methods
 *     treat (plain x·W + b / convolution otherwise),
 *   - `fb.target(y)` (or `fb.output(out, head, { target: y })`) for drtp, which projects the target,
 * and trains with `fb.grads(() => loss, vars)`.
 *
 * How DFA stays lean on tfjs's tape (which prunes every node not on a path from the variables):
 *   - point(h) hands the next block a *detached* view of h, so the next block's matmul has no
 *     recorded path to h: its x-gradient (W^T·delta) is never formed;
 *   - output(out) records one "join" op whose value is `out` and whose inputs are `out` and every
 *     point marked since the previous output. Its backward receives e, passes it on to `out`
 *     unchanged (the layers above get their true gradient) and gives point i the signal
 *     (v · B[:, :width_i]) · s, v = e (dfa) or −y/rows (drtp), through the chosen projection
 *     (projection.ts), quantized and noisy when asked (signal_path.ts). Because the points are
 *     its inputs, the join stays on the tape even when `out` itself is a detached point (the
 *     Transformer's error before the projection).
 *   Inside a block gradients are exact; across a point only the projected error passes.
 * Several outputs in one forward (`output(out, 'fine')`): each takes the points marked since the
 * previous output and has its own matrix (NeRF's coarse and fine networks in one pass).
 * Shallow detaches at every point and feeds nothing back: hidden variables get no gradient at all
 * (so optimizers give them no update and no weight decay).
 * Layer-wise (fa, usf, brsf, frsf): dense() sends dy · B_l to x, B_l shaped like W^T; conv2d()
 * sends conv2d-backprop-input(dy, B_l), B_l a kernel shaped like W (layerwise.ts, conv.ts).
 * DRTP (Frenkel, Lefebvre & Bol 2021): v = −y/rows, y the target (one-hot for class indices), i.e.
 * DFA's e = (ŷ − y)/rows of a loss averaged over its rows with the prediction ŷ dropped: the
 * hidden layers never see the error; the output layer still learns from e.
 *
 * Outside grads()/alignment() (evaluation, inference) point/output/dense are plain forwards.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng, type RngState } from '../engine/rng';
import { type AlignOver, type AlignmentStat, alignmentStat, angleDeg } from './alignment';
import { type ConvGeometry, convOp } from './conv';
import { forwardInLayout, LayerFeedback, type LayerMatrixState } from './layerwise';
import { FeedbackMatrix } from './matrix';
import { isDirect, isLayerwise, type LayerwiseMethod, METHOD_FAMILY, type Method, parseMethod } from './methods';
import { type MatrixState, type Projection, type ProjectionConfig, projectionConfig, type ProjectionKind, type Scaling, tooWide } from './projection';
import { addNoise, checkErrorBits, type ErrorBits, quantizeRows } from './signal_path';
import { StructuredProjection } from './structured';
import { customOp, detach, gradients, type LazyGrads } from './tape';

export interface FeedbackOptions {
  method: Method | string;
  /** Seed of the feedback matrices (default 0): B comes from `new Rng(seed).fork('feedback')`. */
  seed?: number;
  /** Alternative to `seed`: matrices come from `rng.fork('feedback')` (rng is not advanced). */
  rng?: Rng;
  /**
   * The stream the direct methods' matrix (of the unnamed output) is drawn from, when a suite
   * must keep the matrices of its earlier runs (default `rng.fork('feedback').fork('dfa')`).
   */
  dfaRng?: Rng;
  /** DFA scale: 'widest' (default) = 1/sqrt(maxWidth) as TinyDFA and the anchors; 'layer' = 1/sqrt(width). */
  scaling?: Scaling;
  /** Columns of DFA's B; default: the widest feedback point of the first training forward. */
  maxWidth?: number;
  /** Rows of DFA's B; default: the last dim of the first output(). */
  outDim?: number;
  /** Direct methods (dfa, drtp): the projection (projection.ts): dense (default), gaussian, ternary, binary, sparse, structured. */
  projection?: ProjectionKind | string;
  /** Sparse projection: the probability that an entry is nonzero (default 0.1). */
  density?: number;
  /** Direct methods: quantize the projected signal to 1, 2, 4 or 8 bits per entry (signal_path.ts; 1 = the sign). */
  errorBits?: ErrorBits;
  /** Direct methods: std of additive Gaussian noise on the projected signal, relative to its RMS (default 0: none). */
  noise?: number;
}

/**
 * The options that shape the direct methods' signal (projection, density, errorBits, noise): what
 * a run adds to whatever Feedback its task creates (TrainConfig.feedback, TrainTask.createFeedback).
 */
export type SignalOptions = Pick<FeedbackOptions, 'projection' | 'density' | 'errorBits' | 'noise'>;

export interface OutputOptions {
  /** drtp: the target (class indices, or a tensor shaped like the output), as fb.target(y, head) */
  target?: tf.Tensor;
}

export interface MatrixAngle {
  name: string;
  degrees: number;
}

export interface FeedbackState {
  /** the direct methods' matrix of the unnamed output */
  dfa: MatrixState | null;
  /** the layer-wise methods' stored matrices per weight layer (fa: B_l; frsf: |R_l|), in B's layout */
  fa: Record<string, LayerMatrixState>;
  /** the direct methods' matrices of named outputs */
  heads?: Record<string, MatrixState>;
  /** brsf and noise: the training passes so far and the streams their per-batch draws are derived from (saved for those only) */
  draws?: { passes: number; brsf?: RngState; noise?: RngState };
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
  /** direct methods, training: the point's tensor before detaching (an input of its output's join) */
  h?: tf.Tensor;
  fit?: Fit;
}

interface PassHead {
  /** '' for the unnamed output */
  key: string;
  outShape: number[];
  /** direct methods: the projected signal v as rows [positions, outDim], set when the backward reaches the join */
  e2d?: tf.Tensor2D;
  /** direct methods: v · B_i per width (kept until the pass ends) */
  rows: Map<number, tf.Tensor2D>;
  /** alignment: e as the BP pass saw it */
  e?: tf.Tensor;
}

interface TapRun {
  points: PassPoint[];
  heads: PassHead[];
  taps: Map<string, tf.Tensor>;
  targets: Map<string, tf.Tensor>;
}

const DEFAULT_HEAD = '';

export class Feedback {
  readonly method: Method;
  readonly scaling: Scaling;
  /** the direct methods' projection */
  readonly projection: ProjectionConfig;
  readonly errorBits: ErrorBits | undefined;
  readonly noise: number;
  private readonly base: Rng;
  private readonly rng: Rng;
  private readonly dfaRng?: Rng;
  private readonly maxWidthOpt?: number;
  private readonly outDimOpt?: number;
  /** direct methods' projections by output name ('' = the unnamed output) */
  private readonly matrices = new Map<string, Projection>();
  /** layer-wise methods' per-layer feedback */
  private readonly layerwise: LayerFeedback | null;
  /** training passes begun (brsf's draws and the noise are counted by it) */
  private passes = 0;
  /** the stream the noise of every pass is derived from */
  private noiseRoot: Rng;

  // State of the pass in progress (one forward + backward).
  private mode: Mode = 'off';
  private tapMethod: 'bp' | LayerwiseMethod = 'bp';
  private points: PassPoint[] = [];
  private heads: PassHead[] = [];
  private denseCount = 0;
  private convCount = 0;
  private taps = new Map<string, tf.Tensor>();
  /** drtp: the targets given in this pass, by output name (kept until the pass ends) */
  private targets = new Map<string, tf.Tensor>();
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
    this.projection = projectionConfig(String(opts.projection ?? 'dense'), opts.density);
    this.errorBits = opts.errorBits === undefined ? undefined : checkErrorBits(opts.errorBits);
    this.noise = opts.noise ?? 0;
    if (!(Number.isFinite(this.noise) && this.noise >= 0)) throw new Error(`Feedback: noise must be a finite number >= 0, got ${opts.noise}`);
    if (!isDirect(this.method)) {
      const given = [
        this.projection.kind !== 'dense' ? `projection '${this.projection.kind}'` : '',
        this.errorBits !== undefined ? 'errorBits' : '',
        this.noise > 0 ? 'noise' : '',
      ].filter(Boolean);
      if (given.length) throw new Error(`Feedback: ${given.join(', ')} shape${given.length > 1 ? '' : 's'} the direct methods' signal (dfa, drtp), not '${this.method}'`);
    }
    this.maxWidthOpt = opts.maxWidth;
    this.outDimOpt = opts.outDim;
    this.base = opts.rng ?? new Rng(opts.seed ?? 0);
    this.rng = this.base.fork('feedback');
    this.dfaRng = opts.dfaRng;
    this.layerwise = isLayerwise(this.method) ? new LayerFeedback(this.method, this.rng) : null;
    this.noiseRoot = this.rng.fork('noise');
    if (isDirect(this.method) && this.maxWidthOpt && this.outDimOpt) this.ensureMatrix(DEFAULT_HEAD, this.outDimOpt, []);
  }

  /** Names of the feedback points seen in the last training or alignment pass, in order. */
  get pointNames(): string[] {
    return [...this.lastPoints];
  }

  /** The signal options (as SignalOptions) that differ from `opts`, named: empty when this Feedback has them all. */
  signalDifferences(opts: SignalOptions): string[] {
    const want = projectionConfig(String(opts.projection ?? 'dense'), opts.density);
    const diffs: string[] = [];
    if (want.kind !== this.projection.kind) diffs.push(`projection ${this.projection.kind} (asked ${want.kind})`);
    if (want.density !== this.projection.density) diffs.push(`density ${this.projection.density ?? '-'} (asked ${want.density ?? '-'})`);
    if (opts.errorBits !== this.errorBits) diffs.push(`errorBits ${this.errorBits ?? '-'} (asked ${opts.errorBits ?? '-'})`);
    if ((opts.noise ?? 0) !== this.noise) diffs.push(`noise ${this.noise} (asked ${opts.noise ?? 0})`);
    return diffs;
  }

  /** The settings that define this Feedback's signals beyond its method (for run descriptions; defaults omitted). */
  describe(): Record<string, unknown> {
    const d: Record<string, unknown> = {};
    if (this.scaling !== 'widest') d.scaling = this.scaling;
    if (this.projection.kind !== 'dense') d.projection = this.projection.kind;
    if (this.projection.density !== undefined) d.density = this.projection.density;
    if (this.errorBits !== undefined) d.errorBits = this.errorBits;
    if (this.noise > 0) d.noise = this.noise;
    return d;
  }

  // ------------------------------------------------------------------ forward markers

  /**
   * Feedback point on a hidden activation h (after its nonlinearity or after a block); leading
   * dims arbitrary, last dim = width. Returns what the next block must consume: h itself under
   * bp and the layer-wise methods, a detached view under the direct methods and shallow (no
   * gradient crosses it).
   */
  point(h: tf.Tensor, name?: string): tf.Tensor {
    if (this.mode === 'off') return h;
    const pname = name ?? `h${this.points.length + 1}`;
    if (h.rank < 1) throw new Error(`Feedback: feedback point '${pname}' must have a width (last dim), got a scalar`);
    if (this.points.some((p) => p.name === pname)) throw new Error(`Feedback: feedback point name '${pname}' used twice in one forward`);
    const p: PassPoint = { name: pname, shape: h.shape.slice(), head: this.heads.length };
    this.points.push(p);
    if (this.mode === 'tap') return this.tap(h, pname);
    switch (METHOD_FAMILY[this.method]) {
      case 'exact':
      case 'layerwise':
        return h;
      case 'none':
        return detach(h);
      case 'direct':
        this.checkWidth(pname, h.shape[h.rank - 1]!, undefined);
        p.h = h;
        return detach(h);
    }
  }

  /**
   * Where the global error e = dL/d(out) is taken. Returns out. `head` names an output when a
   * forward has several (each with the points marked since the previous output, and its own B).
   * `target` gives drtp its target (as fb.target(y, head)).
   */
  output(out: tf.Tensor, head: string = DEFAULT_HEAD, opts: OutputOptions = {}): tf.Tensor {
    if (this.mode === 'off') return out;
    if (this.heads.some((h) => h.key === head)) {
      throw new Error(`Feedback: output(${head ? `'${head}'` : ''}) called twice in one forward; mark the single tensor the error is taken at${head ? '' : ', or name each output'}`);
    }
    if (out.rank < 1) throw new Error('Feedback: output() needs a tensor with an output dim (last dim), got a scalar');
    if (opts.target) this.target(opts.target, head);
    const idx = this.heads.length;
    const hd: PassHead = { key: head, outShape: out.shape.slice(), rows: new Map() };
    this.heads.push(hd);
    const mine = this.points.filter((p) => p.head === idx);
    if (this.mode === 'tap') return this.errorTap(out, hd);
    if (!isDirect(this.method) || mine.length === 0) return out;
    const m = this.ensureMatrix(head, out.shape[out.rank - 1]!, mine);
    for (const p of mine) {
      this.checkWidth(p.name, p.shape[p.shape.length - 1]!, m);
      p.fit = fitOf(p, hd.outShape);
    }
    return this.join(out, hd, m, mine);
  }

  /**
   * drtp: the target of output `head` in this forward (call it anywhere inside the function given
   * to grads()/alignment(), before or after output()): class indices [positions] (int32, made
   * one-hot) or a tensor shaped like the output. Ignored by the other methods and outside a pass.
   */
  target(y: tf.Tensor, head: string = DEFAULT_HEAD): void {
    if (this.mode === 'off' || this.method !== 'drtp') return;
    if (this.targets.has(head)) throw new Error(`drtp: the target of output${headName(head)} was given twice in one forward`);
    // kept: the forward's tensors are freed before the backward reaches the join
    this.targets.set(head, tf.keep(y.clone()));
  }

  /**
   * Weight layer y = x·W (+ b), W of shape [in, out], x with any leading dims. Under a layer-wise
   * method the gradient to x is dy · B_l (layerwise.ts; per layer name) instead of dy · W^T.
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
      const lw = this.layerwise!;
      lw.attach(lname, W);
      const pass = this.passes;
      y = this.faDense(x2, W as tf.Tensor2D, b, () => lw.feedback(lname, W, pass) as tf.Tensor2D);
    } else {
      y = tf.matMul(x2, W as tf.Tensor2D);
      if (b) y = tf.add(y, b);
    }
    return x.rank === 2 ? y : tf.reshape(y, [...lead, nout]);
  }

  /**
   * Convolution y = conv(x, W) + b over NHWC (x [N, H, W, C_in], W [KH, KW, C_in, C_out], b
   * [C_out] or none), stride and padding as `geometry` (default stride 1, 'same'). Under a
   * layer-wise method the gradient to x is the input-gradient convolution of dy with the layer's
   * feedback kernel B_l (shaped like W; per layer name) instead of with W; otherwise the true one.
   * Either way each input's gradient is formed only when asked for (conv.ts).
   */
  conv2d(x: tf.Tensor, W: tf.Variable | tf.Tensor, b?: tf.Variable | tf.Tensor, geometry: Partial<ConvGeometry> & { strides?: number | [number, number] } = {}, name?: string): tf.Tensor4D {
    const lname = name ?? `conv${++this.convCount}`;
    if (W.rank !== 4) throw new Error(`conv2d '${lname}': W must be a kernel [KH, KW, C_in, C_out], got shape [${W.shape}]`);
    if (x.rank !== 4 || x.shape[3] !== W.shape[2]) {
      throw new Error(`conv2d '${lname}': input has shape [${x.shape}] but W is [${W.shape}]; the input must be [N, H, W, ${W.shape[2]}] (NHWC)`);
    }
    if (b && (b.rank !== 1 || b.shape[0] !== W.shape[3])) throw new Error(`conv2d '${lname}': bias has shape [${b.shape}], expected [${W.shape[3]}]`);
    const s = geometry.strides ?? 1;
    const g: ConvGeometry = { strides: typeof s === 'number' ? [s, s] : s, pad: geometry.pad ?? 'same' };
    const x4 = x as tf.Tensor4D, W4 = W as tf.Tensor4D;
    if (!this.usesFa()) return convOp(x4, W4, b, g, () => W4);
    const lw = this.layerwise!;
    lw.attach(lname, W);
    const pass = this.passes;
    return convOp(x4, W4, b, g, () => lw.feedback(lname, W, pass));
  }

  /** True inside a training or alignment pass that treats weight layers layer-wise (fa, usf, brsf, frsf). */
  usesFa(): boolean {
    return (this.mode === 'train' && this.layerwise !== null) || (this.mode === 'tap' && this.tapMethod !== 'bp');
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
    this.passes++;
    try {
      const { value, grads } = gradients(() => {
        const loss = f();
        checkLoss(loss);
        this.checkAllPointsFed();
        this.checkTargets();
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
   * (no dropout): it runs once (bp, direct methods) or twice (layer-wise). Shallow delivers
   * nothing: []. brsf measures with the last training batch's draw; noise, with a draw of its own.
   * `inspect` (direct methods) sees each point's delivered signal and BP gradient before they are
   * freed, for measures derived from them (e.g. a projection onto a layer's weights).
   */
  async alignment(f: () => tf.Scalar, vars: tf.Variable[], opts: { over?: AlignOver; inspect?: (name: string, delivered: tf.Tensor, bp: tf.Tensor) => void } = {}): Promise<AlignmentStat[]> {
    if (this.method === 'shallow') return [];
    const over = opts.over ?? 'row';
    const runs: TapRun[] = [];
    try {
      const bp = this.tapPass(f, vars, 'bp');
      runs.push(bp);
      const other = this.layerwise ? this.tapPass(f, vars, this.layerwise.method) : null;
      if (other) runs.push(other);
      const out: AlignmentStat[] = [];
      for (const p of bp.points) {
        const g = bp.taps.get(p.name);
        if (!g) continue;
        if (isDirect(this.method)) {
          const hd = bp.heads[p.head];
          if (!hd?.e) throw new Error(`${this.method.toUpperCase()} alignment: no output() after feedback point '${p.name}'`);
          const e = hd.e;
          const width = p.shape[p.shape.length - 1]!;
          const m = this.ensureMatrix(hd.key, e.shape[e.rank - 1]!, bp.points.filter((q) => q.head === p.head));
          this.checkWidth(p.name, width, m);
          const s = tf.tidy(() => {
            let rows = m.project(this.directInput(hd.key, e, bp.targets), width, p.name);
            if (this.noise > 0) rows = addNoise(rows, this.noise, this.noiseRng(`a${this.passes}`, hd.key, width));
            return fitSignal(rows, e.shape, p.shape, fitOf(p, e.shape));
          });
          out.push(alignmentStat(p.name, s, g, over));
          opts.inspect?.(p.name, s, g);
          s.dispose();
        } else {
          const d = other ? other.taps.get(p.name) : g;
          if (d) out.push(alignmentStat(p.name, d, g, over));
        }
      }
      return out;
    } finally {
      for (const r of runs) {
        for (const h of r.heads) h.e?.dispose();
        for (const t of r.taps.values()) t.dispose();
        for (const t of r.targets.values()) t.dispose();
      }
    }
  }

  /**
   * Angle (degrees) between each feedback matrix and the forward weights it replaces.
   * Layer-wise: per weight layer, B_l (as of the last training batch) vs W^T (a convolution: vs W). Direct: per point i,
   * B_i vs (W_{i+1}···W_out)^T, the linear part of the path from h_i to the output; pass
   * `paths[name] = [W_{i+1}, ..., W_out]` ([in, out] each).
   */
  matrixAngles(paths: Record<string, tf.Tensor[]> = {}, head: string = DEFAULT_HEAD): MatrixAngle[] {
    if (this.layerwise) {
      return this.layerwise.matrices(this.passes).map(({ name, B, W }) => {
        const wt = forwardInLayout(W);
        const deg = angleDeg(B, wt);
        tf.dispose([wt, B]);
        return { name, degrees: deg };
      });
    }
    const m = this.matrices.get(head);
    if (!isDirect(this.method) || !m) return [];
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

  /**
   * The direct methods' B of the unnamed output (outDim × maxWidth, unscaled: the projection's own
   * values; structured: its dense equivalent, built on first ask), or null before the first
   * forward. Owned here.
   */
  get feedbackMatrix(): tf.Tensor2D | null {
    return this.matrices.get(DEFAULT_HEAD)?.B ?? null;
  }

  /** The direct methods' B of a named output, or null before its first forward. */
  feedbackMatrixOf(head: string): tf.Tensor2D | null {
    return this.matrices.get(head)?.B ?? null;
  }

  /** Replace the direct methods' B (e.g. to test, or to restore). Shape (outDim, maxWidth). */
  setFeedbackMatrix(B: tf.Tensor2D | MatrixState, head: string = DEFAULT_HEAD): void {
    const kind = this.projection.kind;
    if (B instanceof tf.Tensor && kind === 'structured') {
      throw new Error('Feedback: the structured projection stores no matrix (its state is the random signs); restore it with setState()');
    }
    const st: MatrixState = B instanceof tf.Tensor ? { shape: B.shape as [number, number], data: B.dataSync() as Float32Array, projection: kind } : B;
    if ((st.projection ?? 'dense') !== kind) {
      throw new Error(`Feedback: the saved feedback matrix is a '${st.projection ?? 'dense'}' projection but this Feedback uses '${kind}'`);
    }
    if (st.density !== undefined && st.density !== this.projection.density) {
      throw new Error(`Feedback: the saved sparse projection has density ${st.density} but this Feedback uses ${this.projection.density}`);
    }
    if (this.maxWidthOpt && st.shape[1] < this.maxWidthOpt) {
      throw new Error(`Feedback: the feedback matrix has ${st.shape[1]} columns, fewer than maxWidth ${this.maxWidthOpt}`);
    }
    this.matrices.get(head)?.dispose();
    this.matrices.set(head, this.makeProjection(st.shape[0], st.shape[1], Float32Array.from(st.data)));
  }

  /**
   * Layer-wise: the stored matrix of weight layer `name` (fa: B; frsf: |R|; dense: [out, in];
   * convolution: shaped like its kernel), null before its first forward or for usf/brsf.
   */
  faMatrixOf(name: string): tf.Tensor | null {
    return this.layerwise?.storedOf(name) ?? null;
  }

  /** Layer-wise: set weight layer `name`'s stored matrix (fa: B; frsf: |R|), shaped like W^T [out, in] (a convolution: like W). */
  setFaMatrix(name: string, B: tf.Tensor, W: tf.Variable): void {
    if (!this.layerwise) throw new Error(`Feedback: '${this.method}' has no per-layer feedback matrices (fa, frsf do)`);
    this.layerwise.setStored(name, B, W);
  }

  /**
   * Layer-wise: the matrix weight layer `name` sends its gradient through in place of W^T (dense,
   * [out, in]) or of W (a convolution's kernel), as of the last training batch (fa: B; usf:
   * s·sign(W); frsf: |R|⊙sign(W); brsf: that batch's |R_t|⊙sign(W)), or null if the layer was not
   * seen. A new tensor: dispose it.
   */
  layerFeedbackOf(name: string): tf.Tensor | null {
    return this.layerwise?.feedbackOf(name, this.passes) ?? null;
  }

  /** Everything random about this Feedback, for checkpoints. */
  getState(): FeedbackState {
    const heads: Record<string, MatrixState> = {};
    for (const [k, m] of this.matrices) if (k !== DEFAULT_HEAD) heads[k] = m.getState();
    const brsf = this.method === 'brsf' ? this.layerwise!.brsfState : undefined;
    const noise = this.noise > 0 ? this.noiseRoot.getState() : undefined;
    return {
      dfa: this.matrices.get(DEFAULT_HEAD)?.getState() ?? null,
      fa: this.layerwise?.getState() ?? {},
      ...(Object.keys(heads).length ? { heads } : {}),
      ...(brsf || noise ? { draws: { passes: this.passes, ...(brsf ? { brsf } : {}), ...(noise ? { noise } : {}) } } : {}),
    };
  }

  /** Restore matrices saved by getState(). Layer matrices are re-attached to their layers by name on the next forward. */
  setState(s: FeedbackState): void {
    if (s.dfa) this.setFeedbackMatrix(s.dfa);
    for (const [k, m] of Object.entries(s.heads ?? {})) this.setFeedbackMatrix(m, k);
    const nfa = Object.keys(s.fa ?? {}).length;
    if (nfa && !this.layerwise) throw new Error(`Feedback: the saved state holds per-layer feedback matrices but '${this.method}' uses none`);
    if (nfa) this.layerwise!.setState(s.fa);
    if (s.draws) {
      this.passes = s.draws.passes;
      if (s.draws.brsf && this.layerwise) this.layerwise.brsfState = s.draws.brsf;
      if (s.draws.noise) this.noiseRoot = new Rng(s.draws.noise);
    }
  }

  dispose(): void {
    for (const m of this.matrices.values()) m.dispose();
    this.matrices.clear();
    this.layerwise?.dispose();
  }

  // ------------------------------------------------------------------ internals

  private beginPass(mode: Mode): void {
    if (this.mode !== 'off') throw new Error('Feedback: grads()/alignment() called inside another one');
    this.mode = mode;
    this.points = [];
    this.heads = [];
    this.targets = new Map();
    this.denseCount = 0;
    this.convCount = 0;
  }

  private endPass(): void {
    this.lastPoints = this.points.map((p) => p.name);
    this.mode = 'off';
    for (const h of this.heads) for (const r of h.rows.values()) r.dispose();
    for (const t of this.targets.values()) t.dispose();
    this.targets = new Map();
    this.points = [];
    this.heads = [];
  }

  /** Direct methods: every point must be followed by an output whose error it receives. */
  private checkAllPointsFed(): void {
    if (!isDirect(this.method)) return;
    const orphans = this.points.filter((p) => p.head >= this.heads.length);
    if (!orphans.length) return;
    const M = this.method.toUpperCase();
    if (!this.heads.length) {
      throw new Error(`${M}: the forward marked feedback points (${orphans.map((p) => p.name).join(', ')}) but never called output(out), where ${M} takes its global signal`);
    }
    throw new Error(`${M}: feedback point${orphans.length > 1 ? 's' : ''} ${orphans.map((p) => `'${p.name}'`).join(', ')} marked after the last output(); feedback points must come before the output whose error they receive`);
  }

  /** drtp: every output with feedback points needs its target, shaped to match. */
  private checkTargets(): void {
    if (this.method !== 'drtp') return;
    this.heads.forEach((hd, i) => {
      if (!this.points.some((p) => p.head === i)) return;
      const t = this.targets.get(hd.key);
      if (!t) throw missingTarget(hd.key);
      checkTargetShape(t, hd.outShape, hd.key);
    });
  }

  private checkWidth(name: string, width: number, m: Projection | undefined): void {
    const max = m?.maxWidth ?? this.maxWidthOpt;
    if (max !== undefined && width > max) throw tooWide(name, width, max);
  }

  private makeProjection(outDim: number, maxWidth: number, source: Rng | Float32Array): Projection {
    if (this.projection.kind === 'structured') return new StructuredProjection(outDim, maxWidth, this.scaling, source);
    return new FeedbackMatrix(outDim, maxWidth, this.scaling, source, this.projection);
  }

  /** The projection of output `head`, drawn at its first use (as wide as its widest point, or maxWidth). */
  private ensureMatrix(head: string, outDim: number, points: PassPoint[]): Projection {
    const have = this.matrices.get(head);
    if (have) {
      if (have.outDim !== outDim) {
        throw new Error(`${this.method.toUpperCase()}: the network output${head ? ` '${head}'` : ''} has ${outDim} values per position but the feedback matrix has ${have.outDim} rows`);
      }
      return have;
    }
    if (this.outDimOpt && this.outDimOpt !== outDim) {
      throw new Error(`${this.method.toUpperCase()}: the network output has ${outDim} values per position but outDim ${this.outDimOpt} was given`);
    }
    const widest = Math.max(0, ...points.map((p) => p.shape[p.shape.length - 1]!));
    const maxWidth = this.maxWidthOpt ?? widest;
    const stream = head === DEFAULT_HEAD ? (this.dfaRng ?? this.rng.fork('dfa')) : this.base.fork(head).fork('feedback').fork('dfa');
    const m = this.makeProjection(outDim, Math.max(1, maxWidth), stream);
    this.matrices.set(head, m);
    return m;
  }

  /**
   * The direct methods' output op: value `out`; backward: e to `out`, (v · B_i) · s to each point
   * (lazily, so the engine asks only for the points on a path from the variables).
   */
  private join(out: tf.Tensor, hd: PassHead, m: Projection, points: PassPoint[]): tf.Tensor {
    const inputs: Record<string, tf.Tensor> = { x: out };
    points.forEach((p, i) => (inputs[`p${i}`] = p.h!));
    return customOp(
      inputs,
      () => out.clone(),
      (dy) => {
        hd.e2d = this.directInput(hd.key, dy, this.targets);
        const g: LazyGrads = { x: () => dy.clone() };
        const widest = Math.max(...points.map((p) => p.shape[p.shape.length - 1]!));
        points.forEach((p, i) => (g[`p${i}`] = () => this.signal(hd, m, p, widest)));
        return g;
      },
    );
  }

  /**
   * The rows [positions, outDim] a direct method projects: dfa the error e (dy at the output),
   * drtp −y/positions (its target; dy unused), quantized when errorBits is set. A new tensor.
   */
  private directInput(key: string, dy: tf.Tensor, targets: Map<string, tf.Tensor>): tf.Tensor2D {
    return tf.tidy(() => {
      const c = dy.shape[dy.rank - 1]!;
      let v: tf.Tensor2D;
      if (this.method === 'drtp') {
        const t = targets.get(key);
        if (!t) throw missingTarget(key);
        v = tf.mul(targetRows(t, dy.shape, key), -1 / (dy.size / c)) as tf.Tensor2D;
      } else {
        v = tf.reshape(dy, [-1, c]) as tf.Tensor2D;
      }
      return this.errorBits ? quantizeRows(v, this.errorBits) : v;
    });
  }

  /** The noise stream of one projected product: `pass` labels the pass (t<n> training, a<n> alignment). */
  private noiseRng(pass: string, head: string, width: number): Rng {
    return this.noiseRoot.fork(`${pass}:${head}:${width}`);
  }

  /**
   * Point p's signal: v · (g·s·B) computed once per output for the widest point, narrower points
   * taking its first columns (as TinyDFA: one product for every point; 'layer' scaling, whose
   * scale differs per width, gives narrower points a product of their own). Noise is added to
   * each product once, so the points sharing a product share its noise.
   */
  private signal(hd: PassHead, m: Projection, p: PassPoint, widest: number): tf.Tensor {
    const width = p.shape[p.shape.length - 1]!;
    let rows = hd.rows.get(width);
    if (!rows) {
      // kept: the engine runs each input's gradient in its own tidy; the rows serve every point of this width
      let full = hd.rows.get(widest);
      if (m.scaling === 'layer' && width !== widest) {
        rows = tf.keep(this.product(hd, m, width, p.name)); // its own scale 1/sqrt(width)
      } else {
        if (!full) {
          full = tf.keep(this.product(hd, m, widest, p.name));
          hd.rows.set(widest, full);
        }
        rows = width === widest ? full : (tf.keep(tf.slice(full, [0, 0], [full.shape[0], width])) as tf.Tensor2D);
      }
      hd.rows.set(width, rows);
    }
    return fitSignal(rows, hd.outShape, p.shape, p.fit ?? 'same');
  }

  /** v · B[:, :width] · scale, plus the noise when asked (a new tensor). */
  private product(hd: PassHead, m: Projection, width: number, pointName: string): tf.Tensor2D {
    const rows = m.project(hd.e2d!, width, pointName);
    if (!(this.noise > 0)) return rows;
    const noisy = addNoise(rows, this.noise, this.noiseRng(`t${this.passes}`, hd.key, width));
    rows.dispose();
    return noisy;
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

  private tapPass(f: () => tf.Scalar, vars: tf.Variable[], how: 'bp' | LayerwiseMethod): TapRun {
    this.beginPass('tap');
    this.tapMethod = how;
    this.taps = new Map();
    let points: PassPoint[] = [];
    let heads: PassHead[] = [];
    let targets = new Map<string, tf.Tensor>();
    try {
      const r = gradients(() => {
        const loss = f();
        checkLoss(loss);
        if (how === 'bp') this.checkTargets();
        return loss;
      }, vars);
      r.value.dispose();
      tf.dispose(r.grads.filter((g): g is tf.Tensor => !!g));
      points = this.points.slice();
      heads = this.heads.slice();
      // handed to the caller (alignment), which frees them
      targets = this.targets;
      this.targets = new Map();
    } catch (err) {
      for (const t of this.taps.values()) t.dispose();
      for (const h of this.heads) h.e?.dispose();
      throw err;
    } finally {
      this.tapMethod = 'bp';
      this.endPass();
    }
    const res = { points, heads, taps: this.taps, targets };
    this.taps = new Map();
    return res;
  }

  /** y = x·W + b whose x-gradient is dy · B (B = feedback(), W^T's stand-in); W and b get their true gradients. */
  private faDense(x: tf.Tensor2D, W: tf.Tensor2D, b: tf.Tensor | undefined, feedback: () => tf.Tensor2D): tf.Tensor2D {
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
        x: () => tf.matMul(dy as tf.Tensor2D, feedback()),
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

const headName = (key: string) => (key ? ` '${key}'` : '');

function missingTarget(key: string): Error {
  return new Error(
    `drtp projects the target, not the error, but output${headName(key)} got no target in this forward: ` +
      `pass it with fb.target(y${key ? `, '${key}'` : ''}) or fb.output(out, '${key}', { target: y }) inside the function given to grads()/alignment()`,
  );
}

/** A target is class indices [positions] (int32) or shaped like the output; anything else is named. */
function checkTargetShape(t: tf.Tensor, outShape: number[], key: string): 'indices' | 'dense' {
  const lead = outShape.slice(0, -1);
  if (t.dtype === 'int32' && t.shape.join() === lead.join()) return 'indices';
  if (t.dtype !== 'int32' && t.shape.join() === outShape.join()) return 'dense';
  throw new Error(
    `drtp: the target of output${headName(key)} has shape [${t.shape}] (${t.dtype}); expected class indices [${lead}] (int32) ` +
      `or a float tensor shaped like the output [${outShape}]`,
  );
}

/** The target as rows [positions, outDim]: one-hot for class indices. */
function targetRows(t: tf.Tensor, outShape: number[], key: string): tf.Tensor2D {
  const c = outShape[outShape.length - 1]!;
  if (checkTargetShape(t, outShape, key) === 'indices') return tf.cast(tf.oneHot(tf.reshape(t, [-1]) as tf.Tensor1D, c), 'float32') as tf.Tensor2D;
  return tf.reshape(t, [-1, c]) as tf.Tensor2D;
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

/** Rows (positions × width) of v·B_i laid out as the point's shape (broadcast for a prefix fit). */
function fitSignal(rows: tf.Tensor2D, outShape: number[], shape: number[], fit: Fit): tf.Tensor {
  if (fit === 'same') return tf.reshape(rows, shape);
  const w = shape[shape.length - 1]!;
  const eLead = outShape.slice(0, -1);
  const ones = new Array(shape.length - 1 - eLead.length).fill(1);
  return tf.broadcastTo(tf.reshape(rows, [...eLead, ...ones, w]), shape);
}
