/**
 * The report's Markdown twin: the same sections, cells and notes as the HTML page, its figures
 * as files beside it (figures/<name>), for reading on GitHub or in a terminal.
 */
import { BUDGET_RULE, envSummary, fmtSeconds, PAPER_TITLE, runSeconds, sectionBudgets, tally, type ReportPage } from './page';
import { commandLine } from './produce';
import { deltaText, fmtNum, markText, oursText, type Section, type SectionGroup } from './sections';

/** Text safe inside a Markdown table cell. */
export function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function groupMd(g: SectionGroup): string[] {
  const out: string[] = [];
  if (g.role) out.push(`**${g.role}**`, '');
  const s = g.source;
  if (s) {
    out.push(`Numbers from \`${commandLine(s.table, s.args)}\`, the **${s.budget}** budget${s.budget !== s.asked ? ` (asked: ${s.asked})` : ''}: ${s.how}.${s.leaves ? ` At this budget: ${s.leaves}` : ''}`, '');
    if (s.error) out.push(`> this table could not be produced: ${s.error}`, '');
  }
  if (g.cells.length) {
    out.push('| dataset | model | method | metric | ours (mean ± std) | seeds | paper | Δ | mark | notes and verdicts |', '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |');
    for (const c of g.cells) {
      const r = c.row;
      const notes = [
        ...c.verdicts.map((v) => `**verdict:** ${v}`),
        c.mark === 'reason' ? `**why no number:** ${c.reason}` : (r.note ?? ''),
        s && r.budget !== s.budget ? `(${r.budget} budget)` : '',
      ].filter(Boolean).join(' ');
      out.push(`| ${[r.dataset, r.model, r.method, r.metric, oursText(c), String(r.seeds), fmtNum(r.paper), deltaText(c), markText(c), notes].map(mdCell).join(' | ')} |`);
    }
    out.push('');
  }
  if (s?.notes.length) out.push('```', ...s.notes, '```', '');
  return out;
}

function sectionMd(s: Section): string[] {
  const out = [`## ${s.id}: ${s.title}`, ''];
  if (s.missing) return [...out, `> ${s.missing}`, ''];
  out.push(`budget: ${sectionBudgets(s)} · wing: ${s.suite ?? '—'}`, '');
  const r = s.review;
  out.push(r.tolerances?.length
    ? `Tolerance: ${r.tolerances.map((t) => `|ours − paper| ≤ ${t.within} ${t.unit}${t.metrics ? ` (${t.metrics.join(', ')})` : ''}`).join('; ')}${r.untoleranced ? `; other cells not marked: ${r.untoleranced}` : ''}.`
    : `Cells are not marked against the paper: ${r.untoleranced ?? 'the wing states no tolerance for this part'}.`, '');
  if (r.notes?.length) out.push('**Verdict**', '', ...r.notes.map((n) => `- ${n}`), '');
  for (const g of s.groups) out.push(...groupMd(g));
  for (const f of s.figures) out.push(`![${f.caption.replace(/[[\]]/g, '')}](figures/${f.name})`, '', `*${f.caption}*`, '');
  return out;
}

export function renderMarkdown(page: ReportPage): string {
  const st = page.sitting;
  const t = tally(page.sections);
  const out = [
    '# dfa-ts: the paper reproduced', '',
    `${PAPER_TITLE}. Ours beside the paper's values. Made by \`${st.command}\` on ${st.date} at commit \`${st.commit.slice(0, 12)}\`; the HTML twin (index.html) embeds the figures.`, '',
    `**${t.within}** cells within their stated tolerance, **${t.outside}** outside, ${t.untoleranced + t.noPaper} not marked, ${t.reasons} without a number (each states why). Budget asked: **${st.asked}**. ${BUDGET_RULE}`, '',
    '| part | what | budget | within | outside | not marked | no number |', '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    ...page.sections.map((s) => {
      const x = tally([s]);
      return `| ${s.id} | ${mdCell(s.title)} | ${sectionBudgets(s)} | ${x.within} | ${x.outside} | ${x.untoleranced + x.noPaper} | ${x.reasons} |`;
    }), '',
  ];
  for (const s of page.sections) out.push(...sectionMd(s));
  out.push('## Environment and time per table', '',
    `This sitting: \`${st.command}\` on ${st.date}; commit \`${st.commit}\`; ${st.machine.host} (${st.machine.cpu}, ${st.machine.cores} cores); backend ${st.backend}, ${st.threads} thread(s); Node ${st.node}. ` +
    `Wall ${fmtSeconds(st.wall)}, CPU ${fmtSeconds(st.cpu)}; load average ${st.load[0].toFixed(1)} → ${st.load[1].toFixed(1)}. Runs in \`${st.runs}\`${st.from.length ? `, reused from \`${st.from.join(', ')}\`` : ''}.`, '',
    '| table | budget | runs | run now | run time (stored) | wall | CPU | load | commit of the runs | backend | threads | host |', '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- |',
    ...page.sources.map((s) => {
      const rs = runSeconds(s);
      const e = envSummary(s);
      return `| ${s.name} | ${s.budget} | ${rs.runs} | ${s.ran} | ${fmtSeconds(rs.seconds)} | ${fmtSeconds(s.wall)} | ${fmtSeconds(s.cpu)} | ${s.load[0].toFixed(1)} → ${s.load[1].toFixed(1)} | ${mdCell(e.version.slice(0, 60))} | ${e.backend} | ${e.threads} | ${mdCell(e.host)} |`;
    }), '');
  return out.join('\n');
}
