/**
 * The shape every wing of the paper has: a manifest naming its `dfa reproduce` tables and its own
 * top-level commands, each loaded only when called (so `dfa train` never pays for the NeRF
 * loaders). Everything else of a wing (data, models, paper settings, experiments) lives in its
 * folder src/suites/<name>/ and is built from the core only.
 */
import type { Command } from '../command/command';
import type { ResultRow } from '../command/results';

/** A command before the option layer (issue 18 converts every one): parses its own argv. */
export interface LegacyCommand {
  help: string;
  run(argv: string[]): Promise<number | void>;
}

/** A legacy `dfa reproduce` module: one run(table, argv) for several tables. */
export interface LegacyTables {
  run(table: string, argv: string[]): Promise<number | void>;
}

export interface LazyCommand {
  summary: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  load(): Promise<Command<any> | LegacyCommand | LegacyTables>;
}

export interface Suite {
  /** 'graphs', 'recsys', 'nerf', 'transformer' */
  name: string;
  summary: string;
  /** `dfa reproduce <table>` */
  tables: Record<string, LazyCommand>;
  /** `dfa <command>` */
  commands?: Record<string, LazyCommand>;
  /** what the reproduction report (`dfa reproduce paper`) needs: its tables' budgets and the paper's parts they make */
  report?: SuiteReport;
}

/**
 * The budgets of a `dfa reproduce` table for the reproduction report (`dfa reproduce paper`): the
 * table's own arguments at each, from a pipeline check in seconds (`tiny`) to the budget whose
 * numbers a reader should weigh (`standard`), so the report hard-codes no wing's settings.
 */
export const BUDGETS = ['tiny', 'quick', 'standard'] as const;
export type Budget = (typeof BUDGETS)[number];

export interface TableBudget {
  /** the arguments of `dfa reproduce <table>` (no output paths: the report adds --runs and --out) */
  args: readonly string[];
  /** what this budget leaves out or changes, said on the page (e.g. 'DNAConv: ~20 min a run, in standard') */
  leaves?: string;
}

export interface SuiteReport {
  /** per `dfa reproduce` table of this wing that a part reads: its arguments at each budget */
  budgets: Readonly<Record<string, Readonly<Record<Budget, TableBudget>>>>;
  /** the tables and figures of the paper this wing produces */
  parts: readonly PaperPart[];
}

/** A part of the paper (a table or figure) and the `dfa reproduce` tables whose rows make it. */
export interface PaperPart {
  /** as the paper names it: 'Table 3', 'Table A.1', 'Fig. 2' */
  id: string;
  title: string;
  sources: PartSource[];
  /** what the wing says of these cells (tolerance, verdicts, figures), stated beside its paper values and loaded when a report is built */
  review?: () => Promise<PartReview>;
}

export interface PartSource {
  /** a `dfa reproduce` table of the same wing */
  table: string;
  /** the rows it gives this part, by their `table` field (default: all its rows) */
  rows?: readonly string[];
  /** what these rows are for, when a part has several sources (e.g. 'pipeline check') */
  role?: string;
  /**
   * the key of this source's budgets in the wing's report (default: `table`): the same table run a
   * second time at other arguments (Table 5 at a larger model) is a source of its own
   */
  budgets?: string;
}

/** How close to the paper's value a cell must be (|ours − paper| ≤ within), for the rows it names. */
export interface Tolerance {
  within: number;
  /** e.g. 'points', 'AUC' */
  unit: string;
  /** only rows of these metrics / row tables (default every row with a paper value) */
  metrics?: readonly string[];
  rows?: readonly string[];
}

/** A verdict beside the cells it concerns (rows whose fields equal every field given). */
export interface CellVerdict {
  match: { table?: string; dataset?: string; model?: string; method?: string; metric?: string };
  text: string;
}

export interface PartReview {
  tolerances?: readonly Tolerance[];
  /** why cells without a tolerance are not marked (different data, a budget far from the paper's) */
  untoleranced?: string;
  verdicts?: readonly CellVerdict[];
  /** verdicts on the whole part (a finding measured in the wing's README, a budget's limits) */
  notes?: readonly string[];
  /** captions of the PNG figures the sources write into their --out folder, by file name */
  figures?: Readonly<Record<string, string>>;
  /** curves drawn from the runs' per-epoch history (e.g. Table 5's validation perplexity) */
  curves?: CurveSpec;
  /** cells of the paper the data here cannot give (mean NaN, the reason as the note, the paper's value beside) */
  unavailable?: readonly ResultRow[];
}

/** A curve per value of `series` (a run param), mean over seeds, from `result[history][i][x | y]`. */
export interface CurveSpec {
  history: string;
  x: string;
  y: string;
  series: string;
  title: string;
  xLabel: string;
  yLabel: string;
  /** log-scaled y axis (perplexities span decades) */
  logY?: boolean;
  /** small multiples: the panel a series goes to (default one chart) */
  panel?: (series: string) => string;
}
