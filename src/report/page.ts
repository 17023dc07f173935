/**
 * What the page says beyond the sections: the sitting (command, date, budget), the rule by which
 * stored runs of other budgets are used, per-table timing and the environment of the runs.
 */
import type { RunEnvironment } from '../command/environment';
import type { Budget } from '../suites/types';
import type { ProducedSource } from './produce';
import { allCells, type Section } from './sections';

export const PAPER_TITLE = 'Direct Feedback Alignment Scales to Modern Deep Learning Tasks and Architectures (Launay, Poli, Boniface, Krzakala, NeurIPS 2020)';

export const BUDGET_RULE =
  'Which runs a table shows: among the budgets at least as rich as the one asked (tiny < quick < standard), the richest whose every run is stored ' +
  '(in --runs or --from) is assembled from those runs and nothing is run; otherwise the asked budget is run, reusing each of its runs already stored, ' +
  "and every row that a richer budget's stored runs already give in full (every seed finished) replaces the asked budget's row, and a row the asked budget " +
  "does not have (e.g. DNAConv at quick) is added from a richer budget's stored runs as far as they go (its note names the seeds not run yet), each marked with its budget. " +
  "Each table's section names the budget of its numbers and the command that makes them.";

export interface Sitting {
  command: string;
  date: string;
  asked: Budget;
  commit: string;
  machine: { host: string; cpu: string; cores: number };
  backend: string;
  threads: number;
  node: string;
  /** seconds and CPU seconds of the whole sitting, load average at its start and end */
  wall: number;
  cpu: number;
  load: [number, number];
  runs: string;
  from: readonly string[];
}

export interface ReportPage {
  sitting: Sitting;
  sections: Section[];
  sources: ProducedSource[];
}

export interface Tally {
  within: number;
  outside: number;
  untoleranced: number;
  noPaper: number;
  reasons: number;
}

export function tally(sections: readonly Section[]): Tally {
  const cells = allCells(sections);
  const n = (m: string) => cells.filter((c) => c.mark === m).length;
  return { within: n('within'), outside: n('outside'), untoleranced: n('untoleranced'), noPaper: n('no-paper'), reasons: n('reason') };
}

/** The budgets a section's numbers come from, e.g. 'quick; 4 rows standard'. */
export function sectionBudgets(s: Section): string {
  const counts = new Map<Budget, number>();
  for (const g of s.groups) if (g.source) for (const c of g.cells) counts.set(c.row.budget, (counts.get(c.row.budget) ?? 0) + 1);
  if (!counts.size) return '—';
  if (counts.size === 1) return [...counts.keys()][0]!;
  return [...counts].map(([b, n]) => `${b} (${n} cells)`).join(', ');
}

/** Seconds the stored runs of a table took where they ran (the cost of its budget), and how many. */
export function runSeconds(src: ProducedSource): { seconds: number; runs: number } {
  return { seconds: src.runs.reduce((a, r) => a + r.seconds, 0), runs: src.runs.length };
}

/** The distinct values of each environment field over a table's runs. */
export function envSummary(src: ProducedSource): Record<keyof RunEnvironment, string> {
  const envs = src.runs.map((r) => r.env).filter((e): e is RunEnvironment => !!e);
  const keys: (keyof RunEnvironment)[] = ['version', 'backend', 'threads', 'host', 'cpu', 'node'];
  return Object.fromEntries(keys.map((k) => [k, [...new Set(envs.map((e) => String(e[k])))].join(', ') || '—'])) as Record<keyof RunEnvironment, string>;
}

export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '—';
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
