/**
 * The page's content, before any HTML or Markdown: one section per part of the paper, each cell
 * ours beside the paper's value and the difference, marked within / outside the wing's stated
 * tolerance (or why it is not marked), with the wing's verdicts beside the cells they concern;
 * a cell without a number carries the reason the table states.
 */
import type { ResultRow } from '../command/results';
import type { Budget, CellVerdict, PartReview, Tolerance } from '../suites/types';
import type { Figure } from './figures';
import { sourceKey, type LocatedPart } from './parts';
import type { ProducedSource, SourcedRow } from './produce';

export type Mark = 'within' | 'outside' | 'untoleranced' | 'no-paper' | 'reason';

export interface Cell {
  row: SourcedRow;
  mark: Mark;
  /** ours − paper, when both are numbers */
  delta: number | null;
  tolerance?: Tolerance;
  /** why there is no number (mark 'reason') */
  reason?: string;
  verdicts: string[];
}

export interface SectionGroup {
  /** the table the rows come from (null: the cells the wing says the data cannot give) */
  source: ProducedSource | null;
  role?: string;
  cells: Cell[];
}

export interface Section {
  id: string;
  slug: string;
  title: string;
  suite: string | null;
  groups: SectionGroup[];
  review: PartReview;
  figures: Figure[];
  /** set when no wing declares this part */
  missing?: string;
}

/** The reason a cell without a number gives; flagged when its table gave none. */
export const NO_REASON = 'no value, and its table states no reason';

/**
 * A cell of `row`; `sibling` is the reason its run's other metric states (tables note the AUC row
 * of a run that did not run, not its log-loss row), used when the row states none.
 */
export function cellOf(row: SourcedRow, review: PartReview, sibling?: string): Cell {
  const verdicts = (review.verdicts ?? []).filter((v) => matches(v, row)).map((v) => v.text);
  if (!Number.isFinite(row.mean)) return { row, mark: 'reason', delta: null, reason: row.note?.trim() || sibling || NO_REASON, verdicts };
  if (row.paper === null || !Number.isFinite(row.paper)) return { row, mark: 'no-paper', delta: null, verdicts };
  const delta = row.mean - row.paper;
  const tolerance = review.tolerances?.find((t) => (!t.metrics || t.metrics.includes(row.metric)) && (!t.rows || t.rows.includes(row.table)));
  if (!tolerance) return { row, mark: 'untoleranced', delta, verdicts };
  // a hair of slack: 79.2 − 77.2 is 2.0000000000000284 in floating point
  return { row, mark: Math.abs(delta) <= tolerance.within + 1e-9 ? 'within' : 'outside', delta, tolerance, verdicts };
}

function matches(v: CellVerdict, r: ResultRow): boolean {
  const eq = (a: string | undefined, b: string) => a === undefined || a.toLowerCase() === b.toLowerCase();
  return eq(v.match.table, r.table) && eq(v.match.dataset, r.dataset) && eq(v.match.model, r.model) && eq(v.match.method, r.method) && eq(v.match.metric, r.metric);
}

/** A part's cells from the tables it reads (each source's rows filtered by their `table` field). */
export function buildSection(located: LocatedPart, review: PartReview, produced: Map<string, ProducedSource>, figures: Figure[], slug: string): Section {
  const { part, suite } = located;
  const groups: SectionGroup[] = part.sources.map((src) => {
    const source = produced.get(sourceKey(suite, src)) ?? null;
    const rows = (source?.rows ?? []).filter((r) => !src.rows || src.rows.includes(r.table));
    const run = (r: ResultRow) => [r.table, r.dataset, r.model, r.method].join('|');
    const reasons = new Map<string, string>();
    for (const r of rows) if (!Number.isFinite(r.mean) && r.note?.trim() && !reasons.has(run(r))) reasons.set(run(r), `${r.note.trim()} (as its ${r.metric} row states)`);
    return { source, role: src.role, cells: rows.map((r) => cellOf(r, review, reasons.get(run(r)))) };
  });
  if (review.unavailable?.length) {
    const budget: Budget = 'standard';
    groups.push({ source: null, role: 'cells the data here cannot give', cells: review.unavailable.map((r) => cellOf({ ...r, budget }, review)) });
  }
  return { id: part.id, slug, title: part.title, suite, groups, review, figures };
}

/** Every cell of the page, for checks (every cell a number or a stated reason). */
export function allCells(sections: readonly Section[]): Cell[] {
  return sections.flatMap((s) => s.groups.flatMap((g) => g.cells));
}

/** Decimals that suit a value's size: AUC 0.7954, accuracy 79.23, perplexity 312.4. */
export function digitsFor(x: number): number {
  const a = Math.abs(x);
  return a < 2 ? 4 : a < 10 ? 3 : a < 200 ? 2 : 1;
}

export function fmtNum(x: number | null, digits?: number): string {
  if (x === null || !Number.isFinite(x)) return '—';
  return x.toFixed(digits ?? digitsFor(x));
}

/** 'ours' as the page prints it: mean ± std (n seeds). */
export function oursText(c: Cell): string {
  const r = c.row;
  if (c.mark === 'reason') return '—';
  const d = digitsFor(r.paper ?? r.mean);
  const std = r.seeds > 1 && Number.isFinite(r.std) ? ` ± ${fmtNum(r.std, d)}` : '';
  return `${fmtNum(r.mean, d)}${std}`;
}

export function deltaText(c: Cell): string {
  if (c.delta === null) return '—';
  const d = digitsFor(c.row.paper ?? c.row.mean);
  return (c.delta >= 0 ? '+' : '') + c.delta.toFixed(d);
}

export const MARK_TEXT: Record<Mark, string> = {
  within: 'within',
  outside: 'outside',
  untoleranced: 'not marked',
  'no-paper': 'no paper value',
  reason: 'no number',
};

export function markText(c: Cell): string {
  if (c.mark === 'within' || c.mark === 'outside') return `${MARK_TEXT[c.mark]} ±${c.tolerance!.within} ${c.tolerance!.unit}`;
  return MARK_TEXT[c.mark];
}
