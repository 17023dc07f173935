/**
 * Node-only: the whole paper at one budget: every table a chosen part reads, produced once (at the
 * richest budget the stored runs allow, see produce.ts), then the sections, figures and the page
 * written as `index.html` (self-contained) and `report.md` (+ `figures/`, `tables/<table>.json`).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { codeVersion, runEnvironment } from '../command/environment';
import { SUITES } from '../suites';
import type { Budget, PartReview, Suite } from '../suites/types';
import { curveFigures, pngFigure, type Figure } from './figures';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import { locateParts, PAPER_CONTENTS, partSlug, sourceKey, sourcesOf, type LocatedPart } from './parts';
import { machine, produceSource, type ProducedSource } from './produce';
import type { ReportPage } from './page';
import { buildSection, type Section } from './sections';

export interface BuildOptions {
  budget: Budget;
  out: string;
  runs: string;
  from: readonly string[];
  /** part slugs (table3, figA1, ...); default every part */
  parts?: readonly string[];
  storedOnly?: boolean;
  queue?: string;
  /** the command line, for the page */
  command: string;
  suites?: readonly Suite[];
  log?: (m: string) => void;
}

export interface BuildResult {
  page: ReportPage;
  html: string;
  markdown: string;
  files: { html: string; markdown: string };
}

export async function buildReport(o: BuildOptions): Promise<BuildResult> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const l0 = (await import('node:os')).loadavg()[0]!;
  const log = o.log ?? ((m: string) => console.error(m));
  const suites = o.suites ?? SUITES;
  const located = locateParts(suites);
  const wanted = PAPER_CONTENTS.filter((id) => !o.parts || o.parts.includes(partSlug(id)));
  const chosen = wanted.flatMap((id) => (located.has(id) ? [located.get(id)!] : []));
  const produced = new Map<string, ProducedSource>();
  const work = resolve(o.runs, '_out');
  for (const src of sourcesOf(chosen, suites)) {
    log(`\n### ${src.suite}/${src.name} (${o.budget})`);
    const p = await produceSource({
      suite: src.suite, table: src.table, name: src.name, entry: src.entry, budgets: src.budgets, asked: o.budget, runs: o.runs, from: o.from,
      storedOnly: o.storedOnly ?? false, queue: o.queue, outDir: join(work, src.name), log,
    });
    produced.set(`${src.suite}/${src.name}`, p);
    log(`### ${src.name}: ${p.budget} budget, ${p.rows.length} rows, ${p.how}; ${p.wall.toFixed(1)} s wall, ${p.cpu.toFixed(1)} s CPU`);
  }
  const sections: Section[] = [];
  for (const id of wanted) {
    const lp = located.get(id);
    if (!lp) {
      sections.push({ id, slug: partSlug(id), title: '', suite: null, groups: [], review: {}, figures: [], missing: `no wing declares ${id} in its manifest's report parts` });
      continue;
    }
    const review: PartReview = lp.part.review ? await lp.part.review() : {};
    sections.push(buildSection(lp, review, produced, figuresOf(lp, review, produced), partSlug(id)));
  }
  const c = process.cpuUsage(c0);
  const env = runEnvironment();
  const page: ReportPage = {
    sitting: {
      command: o.command, date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), asked: o.budget, commit: codeVersion(), machine: machine(),
      backend: env.backend, threads: env.threads, node: env.node, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6,
      load: [l0, (await import('node:os')).loadavg()[0]!], runs: o.runs, from: o.from,
    },
    sections, sources: [...produced.values()],
  };
  return write(o.out, page);
}

/** A part's figures: the PNGs its review names (from its sources' folders), then its curves. */
function figuresOf(lp: LocatedPart, review: PartReview, produced: Map<string, ProducedSource>): Figure[] {
  const out: Figure[] = [];
  const slug = partSlug(lp.part.id);
  for (const src of lp.part.sources) {
    const p = produced.get(sourceKey(lp.suite, src));
    if (!p) continue;
    for (const f of p.figures) {
      const caption = review.figures?.[basename(f)];
      if (caption) out.push(pngFigure(f, `${caption} (from ${p.name}, ${p.budget} budget)`, `${slug}-${p.name}`));
    }
    if (review.curves) out.push(...curveFigures(review.curves, p.runs, `${slug}-${p.name}`, `${review.curves.title} per epoch, mean over seeds (from ${p.name}, ${p.budget} budget)`));
  }
  return out;
}

function write(out: string, page: ReportPage): BuildResult {
  mkdirSync(out, { recursive: true });
  const figDir = join(out, 'figures');
  rmSync(figDir, { recursive: true, force: true });
  mkdirSync(figDir, { recursive: true });
  for (const s of page.sections) for (const f of s.figures) writeFileSync(join(figDir, f.name), f.data);
  const tables = join(out, 'tables');
  mkdirSync(tables, { recursive: true });
  for (const s of page.sources) {
    const { runs, ...rest } = s;
    writeFileSync(join(tables, `${s.name}.json`), JSON.stringify({ ...rest, runs: runs.map(({ outcome, ...r }) => ({ ...r, ok: outcome.ok })) }, null, 1) + '\n');
  }
  const html = renderHtml(page);
  const markdown = renderMarkdown(page);
  const files = { html: join(out, 'index.html'), markdown: join(out, 'report.md') };
  writeFileSync(files.html, html);
  writeFileSync(files.markdown, markdown);
  return { page, html, markdown, files };
}
