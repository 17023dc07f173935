/**
 * The playground's training worker: runs tfjs (cpu backend by default) off the page's main
 * thread, steps every method together and posts metrics every EVAL_EVERY steps and pictures
 * (alignment, decision boundary, hidden-layer PCA) every VIZ_EVERY steps. Cora: the page sends the
 * raw files' bytes ('data'), parsed here; a step is then one full-batch epoch of a GCN per method.
 */
import * as tf from '@tensorflow/tfjs';
import { parsePlanetoidFiles, RAW_SUFFIXES, type GraphData } from '../suites/graphs/data/parse';
import { CoraSession } from './cora';
import type { FromWorker, MethodUpdate, ToWorker } from './protocol';
import { EMBED_N, PlaygroundSession, runFixedSteps } from './session';
import { isGraphTask, type PlaygroundSettings } from './settings';

const EVAL_EVERY = 10;
const VIZ_EVERY = 50;
/** Cora: a step is a full-batch epoch, so evaluate and draw more often (in epochs) */
const GRAPH_EVAL_EVERY = 2;
const GRAPH_VIZ_EVERY = 10;
const BOUNDARY_RES = 64;
/** ms of training between yields to the message queue (pause/step stay prompt) */
const SLICE_MS = 40;

interface WorkerScope {
  postMessage(m: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

let session: PlaygroundSession | CoraSession | null = null;
let cora: GraphData | null = null;
/** why the last files given did not parse (reported again by the 'init' that follows) */
let coraError: string | null = null;
let running = false;
let looping = false;
let backendReady: Promise<void> | null = null;
let rate = { t: 0, step: 0, perSec: 0 };

function post(m: FromWorker): void {
  scope.postMessage(m);
}

async function ensureBackend(name: 'cpu' | 'webgl' = 'cpu'): Promise<void> {
  backendReady ??= (async () => {
    const ok = await tf.setBackend(name).catch(() => false);
    if (!ok) await tf.setBackend('cpu');
    await tf.ready();
    post({ type: 'ready', backend: tf.getBackend() });
  })();
  return backendReady;
}

async function snapshot(viz: boolean): Promise<void> {
  const s = session!;
  const now = performance.now();
  if (now - rate.t > 500) {
    rate = { t: now, step: s.step, perSec: rate.t ? ((s.step - rate.step) * 1000) / (now - rate.t) : 0 };
  }
  const methods: MethodUpdate[] = [];
  for (const r of s.runs) {
    const u: MethodUpdate = { method: r.method, eval: r.evaluate(), batchLoss: r.lastLoss };
    if (viz) {
      u.align = { step: r.step, layers: (await r.alignment()).map((a) => ({ name: a.name, mean: a.mean })) };
      if (s instanceof PlaygroundSession) u.boundary = (r as PlaygroundSession['runs'][number]).boundary(BOUNDARY_RES, s.extent);
      u.embedding = r.embedding();
    }
    methods.push(u);
  }
  post({ type: 'update', step: s.step, running, stepsPerSec: rate.perSec, methods });
}

function state(): void {
  const s = session;
  post({ type: 'state', running, step: s?.step ?? 0, done: !!s && s.step >= s.settings.steps });
}

async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  try {
    while (running && session) {
      const s = session;
      const t0 = performance.now();
      while (running && session === s && performance.now() - t0 < SLICE_MS) {
        s.stepAll();
        const st = s.step;
        if (st >= s.settings.steps) {
          running = false;
          await snapshot(true);
          break;
        }
        const [ev, viz] = s instanceof CoraSession ? [GRAPH_EVAL_EVERY, GRAPH_VIZ_EVERY] : [EVAL_EVERY, VIZ_EVERY];
        if (st % ev === 0) await snapshot(st % viz === 0);
      }
      state();
      await new Promise((r) => setTimeout(r, 0));
    }
  } finally {
    looping = false;
  }
}

function reset(settings: PlaygroundSettings): void {
  running = false;
  session?.dispose();
  session = null;
  if (isGraphTask(settings.task)) {
    if (!cora) {
      if (coraError) throw new Error(coraError);
      throw new Error(`Cora needs its eight raw files (${RAW_SUFFIXES.map((x) => `ind.cora.${x}`).join(', ')}): ` +
        "choose them with 'Cora files' above, or start the playground with 'dfa playground --cora DIR'");
    }
    const c = new CoraSession(settings, cora);
    session = c;
    rate = { t: 0, step: 0, perSec: 0 };
    post({
      type: 'reset', settings, classes: cora.numClasses, extent: [-1, 1, -1, 1], points: new Float32Array(0),
      labels: cora.y, targets: new Float32Array(0), embedN: cora.numNodes, graph: c.describe(),
    });
    return;
  }
  session = new PlaygroundSession(settings);
  rate = { t: 0, step: 0, perSec: 0 };
  const t = session.test;
  post({
    type: 'reset', settings, classes: t.classes, extent: session.extent,
    points: t.x, labels: t.y, targets: t.target, embedN: Math.min(EMBED_N, t.n),
  });
}

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'init':
      await ensureBackend(m.backend);
      reset(m.settings);
      await snapshot(true);
      state();
      return;
    case 'run':
      if (!session || session.step >= session.settings.steps) return state();
      running = true;
      state();
      void loop().catch(fail);
      return;
    case 'pause':
      running = false;
      return state();
    case 'step': {
      if (!session || running) return;
      for (let i = 0; i < m.n && session.step < session.settings.steps; i++) session.stepAll();
      await snapshot(true);
      return state();
    }
    case 'data':
      cora = null;
      try {
        cora = parsePlanetoidFiles(m.name, new Map(m.files));
        coraError = null;
      } catch (e) {
        coraError = e instanceof Error ? e.message : String(e);
        throw e;
      }
      post({ type: 'data', name: m.name, summary: `${cora.name}: ${cora.numNodes} nodes, ${cora.numFeatures} features, ${cora.numClasses} classes` });
      return;
    case 'fixed':
      await ensureBackend('cpu');
      post({ type: 'fixed', result: await runFixedSteps(m.settings, m.steps) });
      return;
  }
}

function fail(e: unknown): void {
  running = false;
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}

// Messages are handled one at a time, in order.
let queue = Promise.resolve();
scope.onmessage = (e) => {
  queue = queue.then(() => handle(e.data)).catch(fail);
};
