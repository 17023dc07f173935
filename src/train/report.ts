/**
 * A self-contained HTML report of one or more training runs (no scripts, no external files):
 * a summary table, loss and metric curves, and alignment per feedback point over training
 * (mean ± std band), drawn as inline SVG.
 */
import { escapeXml as esc, lineChart, PALETTE, type Series } from '../viz/line_chart';
import type { TrainResult } from './trainer';

export interface ReportRun {
  /** e.g. the method */
  label: string;
  result: TrainResult;
  config?: Record<string, unknown>;
}

export interface ReportOptions {
  title: string;
  metricName: string;
  meta?: Record<string, unknown>;
}

const num = (v: number | undefined, d = 2) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

export function alignmentSummary(r: TrainResult): string {
  const last = [...r.epochs].reverse().find((e) => e.alignment?.length);
  return last ? last.alignment!.map((a) => `${a.name} ${num(a.mean)} ± ${num(a.std)}`).join(', ') : '—';
}

export function renderReport(runs: ReportRun[], o: ReportOptions): string {
  const color = (i: number) => PALETTE[i % PALETTE.length]!;
  const curve = (key: (e: TrainResult['epochs'][number]) => number, dashed = false) =>
    runs.map((r, i): Series => ({ label: r.label, color: color(i), dashed, points: r.result.epochs.map((e) => [e.epoch, key(e)]) }));

  const rows = runs.map((r) => {
    const f = r.result.epochs[r.result.epochs.length - 1]!;
    return `<tr><td>${esc(r.label)}</td><td>${num(r.result.testAtBest)}</td><td>${num(r.result.bestVal)}</td><td>${r.result.bestEpoch}</td>` +
      `<td>${num(f.trainLoss, 4)}</td><td>${esc(alignmentSummary(r.result))}</td><td>${num(r.result.msPerStep)}</td><td>${r.result.stoppedEarly ? 'early stop' : ''}</td></tr>`;
  });

  const charts = [
    lineChart({ title: 'training loss', xLabel: 'epoch', yLabel: 'loss', series: curve((e) => e.trainLoss) }),
    lineChart({ title: 'validation loss', xLabel: 'epoch', yLabel: 'loss', series: curve((e) => e.val?.loss ?? NaN) }),
    lineChart({ title: `validation ${o.metricName}`, xLabel: 'epoch', yLabel: o.metricName, series: curve((e) => e.val?.metric ?? NaN) }),
    lineChart({ title: `test ${o.metricName}`, xLabel: 'epoch', yLabel: o.metricName, series: curve((e) => e.test?.metric ?? NaN) }),
  ];
  for (const r of runs) {
    const names = [...new Set(r.result.epochs.flatMap((e) => (e.alignment ?? []).map((a) => a.name)))];
    if (!names.length) continue;
    const series = names.map((n, i): Series => {
      const pts = r.result.epochs.flatMap((e) => (e.alignment ?? []).filter((a) => a.name === n).map((a) => ({ x: e.epoch, a })));
      return { label: n, color: color(i), points: pts.map((p) => [p.x, p.a.mean]), band: pts.map((p) => [p.x, p.a.mean - p.a.std, p.a.mean + p.a.std]) };
    });
    charts.push(lineChart({ title: `${r.label}: alignment with BP per feedback point (mean ± std)`, xLabel: 'epoch', yLabel: 'cosine', series, yMin: -1, yMax: 1 }));
  }

  const angles = runs.flatMap((r) => {
    const last = [...r.result.epochs].reverse().find((e) => e.angles?.length);
    return last ? last.angles!.map((a) => `<tr><td>${esc(r.label)}</td><td>${esc(a.name)}</td><td>${num(a.degrees, 1)}</td></tr>`) : [];
  });

  const meta = Object.entries(o.meta ?? {}).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(typeof v === 'string' ? v : JSON.stringify(v))}</td></tr>`);
  const configs = runs.filter((r) => r.config).map((r) => `<h3>${esc(r.label)}</h3><pre>${esc(JSON.stringify(r.config, null, 2))}</pre>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(o.title)}</title>
<style>
body{font-family:sans-serif;margin:24px;max-width:1060px;color:#222}
table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;font-size:13px}
th{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:12px}.charts svg{border:1px solid #eee}
pre{background:#f8f8f8;padding:8px;font-size:12px;overflow:auto}
</style></head><body>
<h1>${esc(o.title)}</h1>
${meta.length ? `<table>${meta.join('')}</table>` : ''}
<h2>Results</h2>
<table><tr><th>method</th><th>test ${esc(o.metricName)} at best val</th><th>best val</th><th>best epoch</th><th>final train loss</th><th>alignment with BP (last measurement)</th><th>ms / step</th><th>note</th></tr>
${rows.join('\n')}</table>
<p>Alignment: per-sample cosine similarity between the signal the method delivers at a feedback point and the gradient backpropagation would deliver there (1 = same direction; &gt; 0 means the layer is learning). BP is 1 by definition; shallow delivers none.</p>
<h2>Curves</h2>
<div class="charts">${charts.join('\n')}</div>
${angles.length ? `<h2>Angle between feedback matrices and the forward weights they replace (degrees, last measurement)</h2><table><tr><th>method</th><th>feedback</th><th>angle</th></tr>${angles.join('')}</table>` : ''}
${configs.length ? `<details><summary>configuration</summary>${configs.join('\n')}</details>` : ''}
</body></html>
`;
}
