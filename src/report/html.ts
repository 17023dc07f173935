/**
 * The report as one self-contained HTML page: inline CSS, every image a data: URI, no script and
 * no request to anywhere (it opens from a file, offline).
 */
import { dataUri, type Figure } from './figures';
import { BUDGET_RULE, envSummary, fmtSeconds, PAPER_TITLE, runSeconds, sectionBudgets, tally, type ReportPage } from './page';
import { commandLine, type ProducedSource } from './produce';
import { deltaText, fmtNum, markText, oursText, type Cell, type Section, type SectionGroup } from './sections';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:24px 28px 64px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:20px;margin:40px 0 6px;padding-top:8px;border-top:2px solid #ddd}
h3{font-size:15px;margin:18px 0 4px}
.sub{color:#555;margin:0 0 16px}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef0f3;padding:1px 4px;border-radius:3px;word-break:break-word}
table{border-collapse:collapse;margin:8px 0 12px;background:#fff;font-size:13px;width:100%}
th,td{border:1px solid #dcdcdc;padding:4px 7px;text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.within{background:#e4f5e6}.outside{background:#fde6e4}.untoleranced,.no-paper{background:#f6f6f6}.reason{background:#fff6db}
.mark{white-space:nowrap;font-size:12px}
.badge{display:inline-block;font-size:11px;padding:0 5px;border-radius:8px;background:#dfe7f7;color:#234;margin-left:4px;white-space:nowrap}
.verdict{background:#fff3c4;border-left:3px solid #e0a800;padding:2px 6px;margin:2px 0;font-size:12.5px}
.note{color:#444;font-size:12.5px}
details summary{cursor:pointer;color:#335;font-size:12px}
.box{background:#fff;border:1px solid #dcdcdc;border-radius:6px;padding:8px 12px;margin:8px 0}
.notes li{margin:2px 0}.notes{font-size:13px}
pre{white-space:pre-wrap;font:12.5px/1.4 ui-monospace,Menlo,monospace;background:#fff;border:1px solid #e2e2e2;padding:8px;margin:6px 0}
figure{margin:12px 0;display:inline-block;vertical-align:top;background:#fff;border:1px solid #dcdcdc;padding:8px;max-width:100%}
figure img{max-width:100%;height:auto;image-rendering:pixelated;display:block}
figcaption{font-size:12.5px;color:#333;margin-top:6px;max-width:720px}
.missing{background:#fde6e4;padding:8px;border-radius:6px}
nav ol{columns:2;font-size:13px}
`;

function figureHtml(f: Figure): string {
  // small renders (Fig. A.1's 100-px views) are shown enlarged, pixels kept sharp
  const scale = f.kind === 'png' && f.width < 560 ? Math.min(4, Math.floor(720 / f.width)) : 1;
  return `<figure><img src="${dataUri(f)}" width="${f.width * scale}" height="${f.height * scale}" alt="${esc(f.caption)}"><figcaption>${esc(f.caption)}</figcaption></figure>`;
}

function notesCell(c: Cell, src: ProducedSource | null): string {
  const parts = c.verdicts.map((v) => `<div class="verdict">${esc(v)}</div>`);
  if (c.mark === 'reason') parts.push(`<div class="note"><b>why no number:</b> ${esc(c.reason!)}</div>`);
  else if (c.row.note) {
    const note = esc(c.row.note);
    parts.push(note.length > 160 ? `<details><summary>${esc(c.row.note.slice(0, 110))}…</summary><div class="note">${note}</div></details>` : `<div class="note">${note}</div>`);
  }
  if (src && c.row.budget !== src.budget) parts.push(`<span class="badge">${esc(c.row.budget)} budget</span>`);
  return parts.join('');
}

function groupTable(g: SectionGroup): string {
  const head = '<tr><th>dataset</th><th>model</th><th>method</th><th>metric</th><th>ours (mean ± std)</th><th>seeds</th><th>paper</th><th>Δ</th><th>mark</th><th>notes and verdicts</th></tr>';
  const rows = g.cells.map((c) => {
    const r = c.row;
    return `<tr class="${c.mark}"><td>${esc(r.dataset)}</td><td>${esc(r.model)}</td><td>${esc(r.method)}</td><td>${esc(r.metric)}</td>` +
      `<td class="num">${esc(oursText(c))}</td><td class="num">${r.seeds}</td><td class="num">${esc(fmtNum(r.paper))}</td><td class="num">${esc(deltaText(c))}</td>` +
      `<td class="mark">${esc(markText(c))}</td><td>${notesCell(c, g.source)}</td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

function sourceHeader(g: SectionGroup): string {
  if (!g.source) return `<h3>${esc(g.role ?? '')}</h3>`;
  const s = g.source;
  const leaves = s.leaves ? ` At this budget: ${esc(s.leaves)}` : '';
  const role = g.role ? `<h3>${esc(g.role)}</h3>` : '';
  const err = s.error ? `<p class="missing"><b>this table could not be produced:</b> ${esc(s.error)}</p>` : '';
  return `${role}<p class="note">Numbers from <code>${esc(commandLine(s.table, s.args))}</code>, the <b>${esc(s.budget)}</b> budget${s.budget !== s.asked ? ` (asked: ${esc(s.asked)})` : ''}: ${esc(s.how)}.${leaves}</p>${err}`;
}

function sectionHtml(s: Section): string {
  const head = `<h2 id="${esc(s.slug)}">${esc(s.id)}: ${esc(s.title)}</h2>`;
  if (s.missing) return `${head}<p class="missing">${esc(s.missing)}</p>`;
  const r = s.review;
  const tol = r.tolerances?.length
    ? `<p>Tolerance: ${r.tolerances.map((t) => `|ours − paper| ≤ ${t.within} ${esc(t.unit)}${t.metrics ? ` (${esc(t.metrics.join(', '))})` : ''}`).join('; ')}${r.untoleranced ? `; other cells not marked: ${esc(r.untoleranced)}` : ''}.</p>`
    : `<p>Cells are not marked against the paper: ${esc(r.untoleranced ?? 'the wing states no tolerance for this part')}.</p>`;
  const partNotes = r.notes?.length ? `<div class="box"><b>Verdict</b><ul class="notes">${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></div>` : '';
  const groups = s.groups.map((g) => {
    const tableNotes = g.source?.notes.length ? `<pre>${esc(g.source.notes.join('\n'))}</pre>` : '';
    return sourceHeader(g) + (g.cells.length ? groupTable(g) : g.source?.error ? '' : '<p class="note">no rows</p>') + tableNotes;
  });
  const figs = s.figures.length ? `<div>${s.figures.map(figureHtml).join('')}</div>` : '';
  return `${head}<p class="sub">budget: ${esc(sectionBudgets(s))} · wing: ${esc(s.suite ?? '—')}</p>${tol}${partNotes}${groups.join('')}${figs}`;
}

function environmentHtml(page: ReportPage): string {
  const st = page.sitting;
  const rows = page.sources.map((s) => {
    const rs = runSeconds(s);
    const env = envSummary(s);
    return `<tr><td><code>${esc(s.name)}</code></td><td>${esc(s.budget)}</td><td class="num">${rs.runs}</td><td class="num">${s.ran}</td><td class="num">${esc(fmtSeconds(rs.seconds))}</td>` +
      `<td class="num">${esc(fmtSeconds(s.wall))}</td><td class="num">${esc(fmtSeconds(s.cpu))}</td><td class="num">${s.load[0].toFixed(1)} → ${s.load[1].toFixed(1)}</td>` +
      `<td>${esc(env.version.slice(0, 60))}</td><td>${esc(env.backend)}</td><td>${esc(env.threads)}</td><td>${esc(env.host)}</td></tr>`;
  });
  return `<h2 id="environment">Environment and time per table</h2>
<p>This sitting: <code>${esc(st.command)}</code> on ${esc(st.date)}; commit <code>${esc(st.commit)}</code>; ${esc(st.machine.host)} (${esc(st.machine.cpu)}, ${st.machine.cores} cores); backend ${esc(st.backend)}, ${st.threads} thread${st.threads > 1 ? 's' : ''}; Node ${esc(st.node)}.
Wall time ${esc(fmtSeconds(st.wall))}, CPU time ${esc(fmtSeconds(st.cpu))} (this process, all threads); load average ${st.load[0].toFixed(1)} at the start, ${st.load[1].toFixed(1)} at the end (the machine may be shared: CPU time is the measure that does not depend on it).
Runs stored in <code>${esc(st.runs)}</code>${st.from.length ? `, reused from <code>${esc(st.from.join(', '))}</code>` : ''}.</p>
<table><tr><th>table</th><th>budget</th><th>runs</th><th>run now</th><th>run time (stored)</th><th>wall, this sitting</th><th>CPU, this sitting</th><th>load</th><th>commit of the runs</th><th>backend</th><th>threads</th><th>host</th></tr>${rows.join('')}</table>
<p class="note">run time (stored): the seconds each run took where it ran, summed (the cost of the table at its budget); wall and CPU: this sitting (nothing to do when every run was stored).</p>`;
}

function summaryHtml(page: ReportPage): string {
  const rows = page.sections.map((s) => {
    const t = tally([s]);
    return `<tr><td><a href="#${esc(s.slug)}">${esc(s.id)}</a></td><td>${esc(s.title)}</td><td>${esc(sectionBudgets(s))}</td><td class="num">${t.within}</td><td class="num">${t.outside}</td><td class="num">${t.untoleranced + t.noPaper}</td><td class="num">${t.reasons}</td></tr>`;
  });
  return `<table><tr><th>part</th><th>what</th><th>budget</th><th>within</th><th>outside</th><th>not marked</th><th>no number (reason stated)</th></tr>${rows.join('')}</table>`;
}

export function renderHtml(page: ReportPage): string {
  const st = page.sitting;
  const t = tally(page.sections);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>dfa-ts: the paper reproduced (${esc(st.asked)} budget, ${esc(st.date.slice(0, 10))})</title>
<style>${CSS}</style></head>
<body><main>
<h1>dfa-ts: the paper reproduced</h1>
<p class="sub">${esc(PAPER_TITLE)}. Ours beside the paper's values, every table and figure, one page. Made by <code>${esc(st.command)}</code> on ${esc(st.date)} at commit <code>${esc(st.commit.slice(0, 12))}</code>.</p>
<div class="box"><b>${t.within}</b> cells within their stated tolerance, <b>${t.outside}</b> outside, ${t.untoleranced + t.noPaper} not marked (no tolerance stated, or no paper value), ${t.reasons} without a number (each states why). Budget asked: <b>${esc(st.asked)}</b>. ${esc(BUDGET_RULE)}</div>
${summaryHtml(page)}
${page.sections.map(sectionHtml).join('\n')}
${environmentHtml(page)}
</main></body></html>
`;
}
