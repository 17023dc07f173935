/**
 * The playground's settings and their shareable encoding (the URL hash, `#task=spirals&depth=2…`).
 * decodeSettings never throws on user input: bad values fall back to defaults with a warning.
 */
import { isDirect, METHODS, type Method } from '../feedback/methods';
import { DEFAULT_DENSITY, PROJECTIONS, type ProjectionKind } from '../feedback/projection';
import type { ErrorBits, SignalOptions } from '../feedback';
import type { ActivationName } from '../nn/activations';
import { TOY_TASKS, type ToyTask } from './toy';

/** The toy sets, and Cora (a GCN on the Planetoid citation graph) when its files are given. */
export type TaskName = ToyTask | 'cora';
export const GRAPH_TASKS = ['cora'] as const;
export const TASKS: readonly TaskName[] = [...TOY_TASKS, ...GRAPH_TASKS];
export const isGraphTask = (t: TaskName): t is 'cora' => t === 'cora';

/** nn/activations' names, listed here so the page's bundle need not load tfjs (a test checks they agree). */
export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'elu', 'gelu', 'linear'] as const satisfies readonly ActivationName[];

/** feedback's ERROR_BITS, listed here for the same reason; 0 = the error in full precision. */
export const ERROR_BITS_CHOICES = [0, 1, 2, 4, 8] as const;

/** Why drtp has no run on the teacher task (the page says so when a link asks for it). */
export const DRTP_REGRESSION = 'drtp is undefined for the teacher regression: it projects a class target, and the teacher has none';

export interface PlaygroundSettings {
  task: TaskName;
  /** training points (a test set of the same size is drawn too); unused for Cora */
  n: number;
  noise: number;
  /** hidden layers (Cora: GCN layers − 1; 1 = the paper's two-layer GCN) */
  depth: number;
  width: number;
  activation: ActivationName;
  methods: Method[];
  seed: number;
  lr: number;
  optimizer: 'adam' | 'sgd';
  batch: number;
  /** training stops by itself after this many steps (Cora: full-batch epochs) */
  steps: number;
  /** the direct methods' (dfa, drtp) random projection of their global signal (src/feedback/projection.ts) */
  projection: ProjectionKind;
  /** the sparse projection's density */
  density: number;
  /** the direct methods' global signal quantized to this many bits (0: full precision) */
  errorBits: (typeof ERROR_BITS_CHOICES)[number];
  /** std of the noise on the direct methods' projected signal, relative to its RMS (0: none) */
  signalNoise: number;
}

export const DEFAULT_SETTINGS: Readonly<PlaygroundSettings> = Object.freeze({
  task: 'spirals',
  n: 600,
  noise: 0.05,
  depth: 2,
  width: 32,
  activation: 'tanh',
  methods: ['bp', 'dfa', 'fa', 'shallow'],
  seed: 1,
  lr: 0.01,
  optimizer: 'adam',
  batch: 32,
  steps: 2000,
  projection: 'dense',
  density: DEFAULT_DENSITY,
  errorBits: 0,
  signalNoise: 0,
} as PlaygroundSettings);

/** Cora's defaults: the paper's GCN (GCNConv ×2, hidden 16, relu, Adam lr 0.01), 200 epochs. */
export const CORA_DEFAULTS: Readonly<PlaygroundSettings> = Object.freeze({
  ...DEFAULT_SETTINGS, task: 'cora', depth: 1, width: 16, activation: 'relu', lr: 0.01, optimizer: 'adam', steps: 200,
} as PlaygroundSettings);

export function defaultSettings(task: TaskName = DEFAULT_SETTINGS.task): PlaygroundSettings {
  const d = isGraphTask(task) ? CORA_DEFAULTS : DEFAULT_SETTINGS;
  return { ...d, task, methods: [...d.methods] };
}

const ORDER: (keyof PlaygroundSettings)[] = ['task', 'n', 'noise', 'depth', 'width', 'activation', 'methods', 'seed', 'lr', 'optimizer', 'batch', 'steps', 'projection', 'density', 'errorBits', 'signalNoise'];

/** The direct methods' signal options these settings give `method` (none for the other methods, or at the defaults). */
export function signalOf(s: PlaygroundSettings, method: Method): SignalOptions | undefined {
  if (!isDirect(method)) return undefined;
  const o: SignalOptions = {
    ...(s.projection !== 'dense' ? { projection: s.projection } : {}),
    ...(s.projection === 'sparse' ? { density: s.density } : {}),
    ...(s.errorBits ? { errorBits: s.errorBits as ErrorBits } : {}),
    ...(s.signalNoise > 0 ? { noise: s.signalNoise } : {}),
  };
  return Object.keys(o).length ? o : undefined;
}

/** A short label of the signal options a method runs with (panel titles), '' when none. */
export function signalLabel(s: PlaygroundSettings, method: Method): string {
  const o = signalOf(s, method);
  if (!o) return '';
  return [o.projection ? `${o.projection}${o.density !== undefined ? ` ${o.density}` : ''}` : '', o.errorBits ? `${o.errorBits}-bit error` : '', o.noise ? `noise ${o.noise}` : ''].filter(Boolean).join(', ');
}

/** Limits that keep the page usable (a browser tab, tfjs cpu). */
const INT_RANGE: Partial<Record<keyof PlaygroundSettings, [number, number]>> = {
  n: [20, 5000],
  depth: [1, 6],
  width: [2, 256],
  seed: [0, 2 ** 31 - 1],
  batch: [1, 1024],
  steps: [1, 100000],
};

export function encodeSettings(s: PlaygroundSettings): string {
  const p = new URLSearchParams();
  for (const k of ORDER) {
    const v = s[k];
    p.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  return p.toString();
}

export function decodeSettings(query: string): { settings: PlaygroundSettings; warnings: string[] } {
  const p = new URLSearchParams(query.replace(/^[#?]/, ''));
  const warnings: string[] = [];
  // The task first: the other settings default per task (Cora: the paper's GCN).
  const t = p.get('task');
  const s = defaultSettings(t !== null && (TASKS as readonly string[]).includes(t) ? (t as TaskName) : undefined);
  const bad = (k: string, v: string, why: string) => warnings.push(`${k}=${v}: ${why}; using ${String(s[k as keyof PlaygroundSettings])}`);
  for (const [k, v] of p) {
    switch (k) {
      case 'task':
        if ((TASKS as readonly string[]).includes(v)) s.task = v as TaskName;
        else bad(k, v, `expected one of ${TASKS.join(', ')}`);
        break;
      case 'activation':
        if ((ACTIVATIONS as readonly string[]).includes(v)) s.activation = v as ActivationName;
        else bad(k, v, `expected one of ${ACTIVATIONS.join(', ')}`);
        break;
      case 'optimizer':
        if (v === 'adam' || v === 'sgd') s.optimizer = v;
        else bad(k, v, 'expected adam or sgd');
        break;
      case 'methods': {
        const ms = v.split(',').filter(Boolean);
        const unknown = ms.filter((m) => !(METHODS as readonly string[]).includes(m));
        if (unknown.length || !ms.length) bad(k, v, `expected a comma list of ${METHODS.join(', ')}`);
        else s.methods = METHODS.filter((m) => ms.includes(m));
        break;
      }
      case 'lr':
      case 'noise':
      case 'signalNoise': {
        const x = Number(v);
        const ok = k === 'lr' ? x > 0 && x <= 10 : x >= 0 && x <= 1;
        if (Number.isFinite(x) && ok) s[k] = x;
        else bad(k, v, k === 'lr' ? 'expected a number in (0, 10]' : 'expected a number in [0, 1]');
        break;
      }
      case 'density': {
        const x = Number(v);
        if (v !== '' && Number.isFinite(x) && x > 0 && x <= 1) s.density = x;
        else bad(k, v, 'expected a number in (0, 1]');
        break;
      }
      case 'projection':
        if ((PROJECTIONS as readonly string[]).includes(v)) s.projection = v as ProjectionKind;
        else bad(k, v, `expected one of ${PROJECTIONS.join(', ')}`);
        break;
      case 'errorBits': {
        const x = Number(v);
        if ((ERROR_BITS_CHOICES as readonly number[]).includes(x) && v !== '') s.errorBits = x as PlaygroundSettings['errorBits'];
        else bad(k, v, `expected one of ${ERROR_BITS_CHOICES.join(', ')} (0: full precision)`);
        break;
      }
      default: {
        const range = INT_RANGE[k as keyof PlaygroundSettings];
        if (!range) {
          warnings.push(`unknown setting '${k}' ignored`);
          break;
        }
        const x = Number(v);
        if (Number.isInteger(x) && x >= range[0] && x <= range[1]) (s as unknown as Record<string, number>)[k] = x;
        else bad(k, v, `expected an integer in [${range[0]}, ${range[1]}]`);
      }
    }
  }
  if (s.task === 'teacher' && s.methods.includes('drtp')) {
    s.methods = s.methods.filter((m) => m !== 'drtp');
    if (!s.methods.length) s.methods = [...DEFAULT_SETTINGS.methods];
    warnings.push(`methods: ${DRTP_REGRESSION}; left out`);
  }
  return { settings: s, warnings };
}
