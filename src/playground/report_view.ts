/** The page's report mode: charts of `dfa train` runs (loss, metric, alignment per feedback point, per epoch). */
import { LAYER_COLORS, lineChart, METHOD_COLORS } from './charts';
import type { ReportData, RunData } from './run_data';

const str = (v: unknown) => (v === undefined || v === null ? '?' : String(v));

function describe(r: RunData): { title: string; method: string; metricName: string } {
  const cfg = (r.config?.cfg ?? {}) as Record<string, unknown>;
  const method = str(r.result?.method ?? cfg.method);
  const metric = (r.result?.metric ?? {}) as { name?: string };
  return { title: `${str(r.config?.task ?? r.result?.task)} · ${method} · seed ${str(cfg.seed)}`, method, metricName: metric.name ?? 'metric' };
}

export function drawRun(r: RunData, el: HTMLElement): void {
  const d = describe(r);
  const color = METHOD_COLORS[d.method] ?? '#555';
  const res = r.result ?? {};
  const best = typeof res.testAtBest === 'number' ? `test ${d.metricName} ${(res.testAtBest as number).toFixed(2)} at best validation epoch ${str(res.bestEpoch)}` : 'no result.json yet (still training?)';
  el.className = 'panel';
  el.innerHTML = `
    <h2><span class="swatch" style="background:${color}"></span>${d.method.toUpperCase()} <small></small></h2>
    <div class="stats"></div>
    <div class="charts"><canvas class="chart" data-k="loss"></canvas><canvas class="chart" data-k="metric"></canvas><canvas class="chart" data-k="align"></canvas></div>
    <p class="note">Decision boundaries and embeddings are not stored in run folders; open the playground for them.</p>`;
  el.querySelector('small')!.textContent = `${d.title} — ${r.id}`;
  el.querySelector('.stats')!.textContent = `${r.records.length} epochs · ${best}`;
  const c = (k: string) => el.querySelector<HTMLCanvasElement>(`canvas[data-k=${k}]`)!;
  const rec = r.records;
  lineChart(c('loss'), [
    { label: 'train', color, points: rec.map((e) => [e.epoch, e.trainLoss]) },
    { label: 'val', color, dash: true, points: rec.filter((e) => e.val).map((e) => [e.epoch, e.val!.loss]) },
  ], { title: 'loss', xLabel: 'epochs' });
  const pct = /%/.test(d.metricName);
  lineChart(c('metric'), [
    { label: 'val', color, points: rec.filter((e) => e.val).map((e) => [e.epoch, e.val!.metric]) },
    { label: 'test', color, dash: true, points: rec.filter((e) => e.test).map((e) => [e.epoch, e.test!.metric]) },
  ], { title: d.metricName, yMin: pct ? 0 : undefined, yMax: pct ? 100 : undefined, xLabel: 'epochs' });
  const names = [...new Set(rec.flatMap((e) => (e.alignment ?? []).map((a) => a.name)))];
  lineChart(c('align'), names.map((n, i) => ({
    label: n, color: LAYER_COLORS[i % LAYER_COLORS.length]!,
    points: rec.filter((e) => e.alignment?.some((a) => a.name === n)).map((e) => [e.epoch, e.alignment!.find((a) => a.name === n)!.mean] as [number, number]),
  })), { title: names.length ? 'alignment (cos)' : `alignment: none recorded (${d.method})`, yMin: -1, yMax: 1, zeroLine: true, xLabel: 'epochs' });
}

/** All runs on two charts: validation loss and validation metric per epoch. */
function drawCompare(runs: RunData[]): void {
  const canvases = document.querySelectorAll<HTMLCanvasElement>('#compare canvas');
  if (canvases.length < 2) return;
  const label = (r: RunData, i: number) => `${describe(r).method}${runs.length > 1 ? ` #${i + 1}` : ''}`;
  const color = (r: RunData, i: number) => METHOD_COLORS[describe(r).method] ?? LAYER_COLORS[i % LAYER_COLORS.length]!;
  const val = (r: RunData, k: 'loss' | 'metric') => r.records.filter((e) => e.val).map((e) => [e.epoch, e.val![k]] as [number, number]);
  lineChart(canvases[0]!, runs.map((r, i) => ({ label: label(r, i), color: color(r, i), points: val(r, 'loss') })), { title: 'validation loss, all runs', xLabel: 'epochs' });
  const name = describe(runs[0]!).metricName;
  lineChart(canvases[1]!, runs.map((r, i) => ({ label: label(r, i), color: color(r, i), points: val(r, 'metric') })), { title: `validation ${name}, all runs`, xLabel: 'epochs', ...(/%/.test(name) ? { yMin: 0, yMax: 100 } : {}) });
}

export async function showReport(url: string, main: HTMLElement, status: (t: string, err?: boolean) => void): Promise<void> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const data = (await res.json()) as ReportData;
  if (!Array.isArray(data.runs) || !data.runs.length) throw new Error(`${url} holds no runs`);
  document.querySelector('h1')!.textContent = 'dfa report';
  document.querySelector('.sub')!.textContent =
    "Runs written by 'dfa train' (config.json, metrics.jsonl, result.json): training and validation curves and, for DFA and FA, the alignment of each hidden layer's signal with the backprop gradient, per epoch.";
  drawCompare(data.runs);
  main.replaceChildren();
  for (const r of data.runs) {
    const el = document.createElement('section');
    main.append(el);
    drawRun(r, el);
  }
  status(`${data.runs.length} run${data.runs.length > 1 ? 's' : ''}: ${data.runs.map((r) => r.id).join(', ')}`);
}
