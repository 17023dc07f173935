/**
 * The playground page (main thread): the settings form, the shareable URL (#task=…&seed=…),
 * and one panel per method drawn from the training worker's updates. All training happens in
 * worker.js, so the page stays responsive. With ?report=URL it shows a `dfa train` run instead.
 * Cora: its raw files come from the server (`dfa playground --cora DIR` lists them in
 * data/index.json) or from the file picker, and are parsed in the worker.
 */
import { isDirect, METHODS, METHOD_SUMMARY, type Method } from '../feedback/methods';
import { PROJECTIONS, PROJECTION_SUMMARY } from '../feedback/projection';
import { boundaryImage, lineChart, METHOD_COLORS, LAYER_COLORS, scatter, type PointSet } from './charts';
import type { FromWorker, ToWorker } from './protocol';
import { showReport } from './report_view';
import type { AlignPoint, Boundary, Embedding, EvalPoint, FixedRunResult } from './session';
import { ACTIVATIONS, decodeSettings, defaultSettings, encodeSettings, ERROR_BITS_CHOICES, isGraphTask, signalLabel, TASKS, type PlaygroundSettings } from './settings';
import { TOY_SUMMARY } from './toy';

interface MethodView {
  method: Method;
  evals: EvalPoint[];
  align: AlignPoint[];
  batchLoss: number;
  boundary?: Boundary;
  embedding?: Embedding;
  el: HTMLElement;
  dirtyCurves: boolean;
  dirtyPics: boolean;
}

interface PageState {
  settings: PlaygroundSettings;
  backend: string;
  step: number;
  running: boolean;
  done: boolean;
  stepsPerSec: number;
  points: PointSet;
  embedPoints: PointSet;
  views: Map<Method, MethodView>;
  error: string | null;
  /** graph task: the data line from the worker (no 2-D points, no decision boundary) */
  graph: string | null;
  /** settings sent, the worker's 'reset' for them not yet back (Cora: parsing its files) */
  loading: boolean;
}

/** Where Cora's raw files come from: picked by the user, or served beside the page. */
const CORA_SUFFIXES = ['x', 'tx', 'allx', 'y', 'ty', 'ally', 'graph', 'test.index'];
const cora = { picked: null as Map<string, ArrayBuffer> | null, served: false, inWorker: false };

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const form = $<HTMLFormElement>('#controls');
const statusEl = $<HTMLElement>('#status');
const runBtn = $<HTMLButtonElement>('#run');
const clickLatencies: number[] = [];

const emptyPoints: PointSet = { xy: [], labels: [], targets: [], classes: 0, n: 0 };
const st: PageState = {
  settings: decodeSettings('').settings, backend: '?', step: 0, running: false, done: false, stepsPerSec: 0,
  points: emptyPoints, embedPoints: emptyPoints, views: new Map(), error: null, graph: null, loading: true,
};
const TASK_LABEL: Record<string, string> = { ...TOY_SUMMARY, cora: 'Cora citation graph, a GCN (needs its raw files)' };

function newWorker(): Worker {
  return new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
}

let worker: Worker | null = null;
function send(m: ToWorker): void {
  worker!.postMessage(m);
}

// ------------------------------------------------------------------ form <-> settings

/** The form's fields other than the method checkboxes, each named as its setting. */
const FIELDS = ['task', 'n', 'noise', 'depth', 'width', 'activation', 'seed', 'optimizer', 'lr', 'batch', 'steps', 'projection', 'density', 'errorBits', 'signalNoise'] as const;

function fillForm(s: PlaygroundSettings): void {
  const task = form.elements.namedItem('task') as HTMLSelectElement;
  if (!task.options.length) {
    for (const t of TASKS) task.add(new Option(`${t} — ${TASK_LABEL[t]}`, t));
    const act = form.elements.namedItem('activation') as HTMLSelectElement;
    for (const a of ACTIVATIONS) act.add(new Option(a, a));
    const box = $('#methods');
    for (const m of METHODS) {
      const l = document.createElement('label');
      l.title = METHOD_SUMMARY[m];
      l.innerHTML = `<input type="checkbox" name="method" value="${m}"> ${m}`;
      box.append(l);
    }
    const proj = form.elements.namedItem('projection') as HTMLSelectElement;
    for (const p of PROJECTIONS) {
      const o = new Option(p, p);
      o.title = PROJECTION_SUMMARY[p];
      proj.add(o);
    }
    const bits = form.elements.namedItem('errorBits') as HTMLSelectElement;
    for (const b of ERROR_BITS_CHOICES) bits.add(new Option(b ? `${b}` : 'full precision', String(b)));
  }
  for (const k of FIELDS) {
    (form.elements.namedItem(k) as HTMLInputElement).value = String(s[k]);
  }
  for (const cb of Array.from(form.querySelectorAll<HTMLInputElement>('input[name=method]'))) cb.checked = s.methods.includes(cb.value as Method);
  document.body.classList.toggle('graph-task', isGraphTask(s.task));
  document.body.classList.toggle('sparse-projection', s.projection === 'sparse');
}

function readForm(): PlaygroundSettings {
  const p = new URLSearchParams();
  for (const k of FIELDS) {
    p.set(k, (form.elements.namedItem(k) as HTMLInputElement).value);
  }
  const ms = Array.from(form.querySelectorAll<HTMLInputElement>('input[name=method]:checked')).map((c) => c.value);
  p.set('methods', ms.join(','));
  const { settings, warnings } = decodeSettings(p.toString());
  if (warnings.length) setStatus(`ignored: ${warnings.join('; ')}`, true);
  return settings;
}

/** What a switch to another task's defaults keeps: the methods, the seed and the direct signal. */
function kept(s: PlaygroundSettings): Partial<PlaygroundSettings> {
  return { methods: s.methods, seed: s.seed, projection: s.projection, density: s.density, errorBits: s.errorBits, signalNoise: s.signalNoise };
}

// ------------------------------------------------------------------ panels

function buildPanels(methods: Method[], graph: boolean, s: PlaygroundSettings): void {
  const main = $('#panels');
  main.replaceChildren();
  st.views.clear();
  for (const m of methods) {
    const el = document.createElement('section');
    el.className = 'panel';
    el.id = `panel-${m}`;
    const signal = isDirect(m) ? signalLabel(s, m) : '';
    el.innerHTML = `
      <h2><span class="swatch" style="background:${METHOD_COLORS[m]}"></span>${m.toUpperCase()}${signal ? ` <span class="signal">(${signal})</span>` : ''} <small title="${METHOD_SUMMARY[m]}">${METHOD_SUMMARY[m]}</small></h2>
      <div class="stats"></div>
      <div class="charts"><canvas class="chart" data-k="loss"></canvas><canvas class="chart" data-k="metric"></canvas><canvas class="chart" data-k="align"></canvas></div>
      <div class="pics">${graph ? '' : '<canvas class="pic" data-k="boundary"></canvas>'}<canvas class="pic" data-k="embed"></canvas></div>`;
    main.append(el);
    st.views.set(m, { method: m, evals: [], align: [], batchLoss: NaN, el, dirtyCurves: true, dirtyPics: true });
  }
}

const metricName = () => (st.points.classes ? 'accuracy' : 'R²');
const stepName = () => (st.graph ? 'epoch' : 'step');
const pct = (v: number) => (st.points.classes ? `${(100 * v).toFixed(1)}%` : v.toFixed(3));

function drawCurves(v: MethodView): void {
  const c = (k: string) => v.el.querySelector<HTMLCanvasElement>(`canvas[data-k=${k}]`)!;
  const last = v.evals[v.evals.length - 1];
  const al = v.align[v.align.length - 1];
  const alignTxt = al?.layers.length ? ` · alignment ${al.layers.map((l) => `${l.name} ${l.mean.toFixed(2)}`).join(', ')}` : '';
  const metricTxt = last?.valMetric !== undefined
    ? `${metricName()} train ${pct(last.metric)}, val ${pct(last.valMetric)}, test ${pct(last.testMetric)}`
    : last ? `${metricName()} ${pct(last.metric)} (test ${pct(last.testMetric)})` : '';
  v.el.querySelector('.stats')!.textContent = last
    ? `${stepName()} ${last.step} · loss ${last.loss.toFixed(3)} (test ${last.testLoss.toFixed(3)}) · ${metricTxt}${alignTxt}`
    : '';
  const col = METHOD_COLORS[v.method]!;
  lineChart(c('loss'), [
    { label: 'train', color: col, points: v.evals.map((e) => [e.step, e.loss]) },
    { label: 'test', color: col, dash: true, points: v.evals.map((e) => [e.step, e.testLoss]) },
  ], { title: 'loss', yMin: 0 });
  lineChart(c('metric'), [
    { label: 'train', color: col, points: v.evals.map((e) => [e.step, e.metric]) },
    ...(v.evals.some((e) => e.valMetric !== undefined) ? [{ label: 'val', color: '#2ca02c', dash: true, points: v.evals.map((e) => [e.step, e.valMetric ?? NaN] as [number, number]) }] : []),
    { label: 'test', color: col, dash: true, points: v.evals.map((e) => [e.step, e.testMetric]) },
  ], { title: metricName(), yMin: st.points.classes ? 0 : undefined, yMax: 1 });
  const names = [...new Set(v.align.flatMap((a) => a.layers.map((l) => l.name)))];
  if (v.method === 'bp' || v.method === 'shallow') {
    lineChart(c('align'), [], { title: v.method === 'bp' ? 'alignment: BP is the reference' : 'alignment: no signal (shallow)', yMin: -1, yMax: 1, zeroLine: true });
  } else {
    lineChart(c('align'), names.map((n, i) => ({
      label: n, color: LAYER_COLORS[i % LAYER_COLORS.length]!,
      points: v.align.map((a) => [a.step, a.layers.find((l) => l.name === n)?.mean ?? NaN] as [number, number]),
    })), { title: 'alignment (cos)', yMin: -1, yMax: 1, zeroLine: true });
  }
}

function drawPics(v: MethodView): void {
  const c = (k: string) => v.el.querySelector<HTMLCanvasElement>(`canvas[data-k=${k}]`)!;
  if (!st.graph) boundaryImage(c('boundary'), v.boundary, st.points, st.points.classes ? 'decision boundary' : 'prediction');
  const over = st.graph ? `, all ${st.embedPoints.n} nodes by class` : '';
  scatter(c('embed'), v.embedding?.coords, st.embedPoints,
    v.embedding ? `${v.embedding.layer} PCA${over} (${(100 * v.embedding.explained).toFixed(0)}% var)` : 'hidden layer PCA');
}

function drawCompare(): void {
  const vs = [...st.views.values()];
  lineChart($<HTMLCanvasElement>('#cmp-loss'), vs.map((v) => ({ label: v.method, color: METHOD_COLORS[v.method]!, points: v.evals.map((e) => [e.step, e.testLoss] as [number, number]) })), { title: 'test loss, all methods', yMin: 0, xLabel: `${stepName()}s` });
  lineChart($<HTMLCanvasElement>('#cmp-metric'), vs.map((v) => ({ label: v.method, color: METHOD_COLORS[v.method]!, points: v.evals.map((e) => [e.step, e.testMetric] as [number, number]) })), { title: `test ${metricName()}, all methods`, yMin: st.points.classes ? 0 : undefined, yMax: 1, xLabel: `${stepName()}s` });
}

// Drawing is split into small jobs run in animation frames under a time budget, so no single
// main-thread task gets long and clicks are handled promptly while the worker streams updates.
const FRAME_BUDGET_MS = 8;
let frame = 0;
let compareDirty = true;
function schedule(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    const t0 = performance.now();
    const jobs: (() => void)[] = [];
    for (const v of st.views.values()) {
      if (v.dirtyCurves) jobs.push(() => ((v.dirtyCurves = false), drawCurves(v)));
      if (v.dirtyPics) jobs.push(() => ((v.dirtyPics = false), drawPics(v)));
    }
    if (compareDirty) jobs.push(() => ((compareDirty = false), drawCompare()));
    for (const job of jobs) {
      if (performance.now() - t0 > FRAME_BUDGET_MS) {
        schedule();
        return;
      }
      job();
    }
  });
}

function setStatus(text: string, error = false): void {
  statusEl.textContent = text;
  statusEl.classList.toggle('error', error);
}

function showState(): void {
  document.body.dataset.state = st.error ? 'error' : st.loading ? 'loading' : st.done ? 'done' : st.running ? 'running' : 'paused';
  runBtn.textContent = st.running ? 'Pause' : 'Run';
  runBtn.disabled = st.done || (st.loading && !st.error);
  if (st.error) return setStatus(`error: ${st.error}`, true);
  if (st.loading) return setStatus(isGraphTask(st.settings.task) ? 'loading Cora: its files are parsed in the worker…' : 'starting…');
  const unit = st.graph ? 'epochs' : 'steps';
  setStatus(`${stepName()} ${st.step} / ${st.settings.steps}${st.running && st.stepsPerSec ? ` · ${st.stepsPerSec.toFixed(st.graph ? 1 : 0)} ${unit}/s` : ''} · ${st.done ? 'done' : st.running ? 'training' : 'paused'} · tfjs ${st.backend} backend in a Web Worker${st.graph ? ` · ${st.graph}` : ''}`);
}

// ------------------------------------------------------------------ worker messages

function onMessage(m: FromWorker): void {
  switch (m.type) {
    case 'ready':
      st.backend = m.backend;
      break;
    case 'reset':
      // A reset for settings replaced since (the user changed them meanwhile) is stale.
      if (encodeSettings(m.settings) !== encodeSettings(st.settings)) return;
      st.loading = false;
      st.settings = m.settings;
      st.points = { xy: m.points, labels: m.labels, targets: m.targets, classes: m.classes, n: m.points.length / 2 };
      st.embedPoints = { ...st.points, n: m.embedN };
      st.graph = m.graph ?? null;
      st.step = 0;
      st.done = false;
      buildPanels(m.settings.methods, !!m.graph, m.settings);
      compareDirty = true;
      schedule();
      break;
    case 'update':
      if (st.loading) return; // from a session replaced since
      st.step = m.step;
      st.stepsPerSec = m.stepsPerSec;
      for (const u of m.methods) {
        const v = st.views.get(u.method);
        if (!v) continue;
        if (v.evals[v.evals.length - 1]?.step !== u.eval.step) v.evals.push(u.eval);
        v.batchLoss = u.batchLoss;
        if (u.align && v.align[v.align.length - 1]?.step !== u.align.step) v.align.push(u.align);
        if (u.boundary) v.boundary = u.boundary;
        if (u.embedding) v.embedding = u.embedding;
        v.dirtyCurves = true;
        v.dirtyPics ||= !!(u.boundary || u.embedding);
        compareDirty = true;
      }
      schedule();
      break;
    case 'state':
      if (st.loading) return;
      // The page owns run/pause (a state message sent before a click must not undo it); the
      // worker stops by itself only when the step budget is reached.
      if (m.done) st.running = false;
      st.step = m.step;
      st.done = m.done;
      break;
    case 'error':
      st.error = m.message;
      st.running = false;
      break;
    case 'data':
      cora.inWorker = true;
      return;
    case 'fixed':
      return;
  }
  showState();
}

function start(settings: PlaygroundSettings): void {
  st.error = null;
  st.running = false;
  st.loading = true;
  st.settings = settings;
  history.replaceState(null, '', `#${encodeSettings(settings)}`);
  fillForm(settings);
  if (!worker) {
    worker = newWorker();
    worker.onmessage = (e: MessageEvent<FromWorker>) => onMessage(e.data);
    worker.onerror = (e) => onMessage({ type: 'error', message: e.message || 'the training worker failed to start' });
  }
  const backend = new URLSearchParams(location.search).get('backend') === 'webgl' ? 'webgl' : 'cpu';
  showState();
  if (isGraphTask(settings.task) && !cora.inWorker) {
    // The worker parses the raw files first ('data'), then starts; messages are handled in order.
    const gen = ++startGen;
    coraFiles().then(
      (files) => {
        if (gen !== startGen) return;
        send({ type: 'data', name: 'cora', files: [...files] });
        send({ type: 'init', settings, backend });
      },
      (e: Error) => gen === startGen && onMessage({ type: 'error', message: e.message }),
    );
  } else {
    startGen++;
    send({ type: 'init', settings, backend });
  }
}

let startGen = 0;

/** Cora's raw files: the picked ones, else fetched from the server (data/cora/ind.cora.*). */
async function coraFiles(): Promise<Map<string, ArrayBuffer>> {
  if (cora.picked) return cora.picked;
  if (!cora.served) {
    throw new Error(`Cora needs its eight raw files (${CORA_SUFFIXES.map((x) => `ind.cora.${x}`).join(', ')}): ` +
      "choose them all at once with 'Cora files' above, or start the playground with 'dfa playground --cora DIR'");
  }
  const files = new Map<string, ArrayBuffer>();
  await Promise.all(CORA_SUFFIXES.map(async (x) => {
    const name = `ind.cora.${x}`;
    const r = await fetch(`data/cora/${name}`);
    if (!r.ok) throw new Error(`Cora: the server did not give ${name} (HTTP ${r.status})`);
    files.set(name, await r.arrayBuffer());
  }));
  return files;
}

/** Does the server offer data files? (`dfa playground --cora DIR` writes data/index.json.) */
async function probeServedData(): Promise<void> {
  try {
    const r = await fetch('data/index.json');
    if (r.ok) cora.served = ((await r.json()) as { planetoid?: string[] }).planetoid?.includes('cora') ?? false;
  } catch {
    cora.served = false;
  }
}

async function pickCoraFiles(list: FileList): Promise<void> {
  const files = new Map<string, ArrayBuffer>();
  const ignored: string[] = [];
  for (const f of Array.from(list)) {
    if (/^ind\.cora\./.test(f.name)) files.set(f.name, await f.arrayBuffer());
    else ignored.push(f.name);
  }
  cora.picked = files;
  cora.inWorker = false;
  const s = readForm();
  start(isGraphTask(s.task) ? s : { ...defaultSettings('cora'), ...kept(s) });
  if (ignored.length) setStatus(`ignored (not a Cora raw file): ${ignored.join(', ')}`, true);
}

// ------------------------------------------------------------------ controls

function wire(): void {
  // Responsiveness probe (read by the e2e test): delay from the browser's input event to the end of its handler.
  document.addEventListener('click', (e) => {
    const t = e.timeStamp;
    queueMicrotask(() => clickLatencies.push(performance.now() - t));
  });
  runBtn.addEventListener('click', () => {
    if (st.done) return;
    st.running = !st.running;
    send({ type: st.running ? 'run' : 'pause' });
    showState();
  });
  $('#step').addEventListener('click', () => {
    if (st.running) {
      st.running = false;
      send({ type: 'pause' });
    }
    send({ type: 'step', n: 10 });
    showState();
  });
  $('#reset').addEventListener('click', () => start(readForm()));
  $('#share').addEventListener('click', async () => {
    const url = `${location.origin}${location.pathname}#${encodeSettings(st.settings)}`;
    try {
      await navigator.clipboard.writeText(url);
      setStatus(`link copied: ${url}`);
    } catch {
      setStatus(`share this link: ${url}`);
    }
  });
  form.addEventListener('change', (e) => {
    const el = e.target as HTMLInputElement;
    if (el.name === 'corafiles') return;
    const s = readForm();
    // Switching between a toy task and Cora: the new task's defaults (Cora: the paper's GCN).
    if (el.name === 'task' && isGraphTask(s.task) !== isGraphTask(st.settings.task)) start({ ...defaultSettings(s.task), ...kept(s) });
    else start(s);
  });
  const picker = form.elements.namedItem('corafiles') as HTMLInputElement;
  picker.addEventListener('change', () => {
    if (picker.files?.length) void pickCoraFiles(picker.files);
  });
  window.addEventListener('hashchange', () => {
    const s = decodeSettings(location.hash).settings;
    if (encodeSettings(s) !== encodeSettings(st.settings)) start(s);
  });
}

// ------------------------------------------------------------------ test hooks

interface Summary {
  step: number;
  running: boolean;
  done: boolean;
  backend: string;
  error: string | null;
  settings: PlaygroundSettings;
  graph: string | null;
  methods: Record<string, { loss: number; metric: number; testLoss: number; testMetric: number; valMetric?: number; evals: number; alignment: { name: string; mean: number }[] }>;
}

function summary(): Summary {
  const methods: Summary['methods'] = {};
  for (const v of st.views.values()) {
    const e = v.evals[v.evals.length - 1];
    methods[v.method] = {
      loss: e?.loss ?? NaN, metric: e?.metric ?? NaN, testLoss: e?.testLoss ?? NaN, testMetric: e?.testMetric ?? NaN, valMetric: e?.valMetric,
      evals: v.evals.length, alignment: v.align[v.align.length - 1]?.layers ?? [],
    };
  }
  return { step: st.step, running: st.running, done: st.done, backend: st.backend, error: st.error, settings: st.settings, graph: st.graph, methods };
}

/** A fixed run in a fresh worker (tfjs cpu), for comparing numbers with Node. */
function runFixed(settings: PlaygroundSettings, steps: number): Promise<FixedRunResult> {
  return new Promise((resolve, reject) => {
    const w = newWorker();
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      if (e.data.type === 'fixed') {
        w.terminate();
        resolve(e.data.result);
      } else if (e.data.type === 'error') {
        w.terminate();
        reject(new Error(e.data.message));
      }
    };
    w.postMessage({ type: 'fixed', settings, steps } satisfies ToWorker);
  });
}

(globalThis as unknown as { dfaPlayground: unknown }).dfaPlayground = { summary, runFixed, clickLatencies };

const reportUrl = new URLSearchParams(location.search).get('report');
if (reportUrl) {
  document.body.classList.add('report');
  showReport(reportUrl, $('#panels'), setStatus).then(
    () => (document.body.dataset.state = 'report'),
    (e: Error) => {
      setStatus(`could not show the run: ${e.message}`, true);
      document.body.dataset.state = 'error';
    },
  );
} else {
  wire();
  const { settings, warnings } = decodeSettings(location.hash);
  void probeServedData().then(() => {
    start(settings);
    if (warnings.length) setStatus(`ignored in the link: ${warnings.join('; ')}`, true);
  });
}
