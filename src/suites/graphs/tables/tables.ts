/**
 * The graph wing's `dfa reproduce` tables, which parts of the suite each runs, and each part's
 * methods: the paper's by default, or the ones `--methods` names (any value of the one Method type).
 */
import type { Method } from '../../../feedback/methods';

export const GRAPH_TABLES = ['table3', 'table4', 'tableA2', 'tableA4', 'fig2', 'graphs'] as const;
export type GraphTable = (typeof GRAPH_TABLES)[number];

/** A table of the paper (`graphs` runs them all); in the order their rows are printed. */
export type GraphPart = Exclude<GraphTable, 'graphs'>;
export const GRAPH_PARTS: readonly GraphPart[] = ['table3', 'tableA4', 'tableA2', 'table4', 'fig2'];

/** The methods each part of the paper compares. */
export const PAPER_METHODS: Record<GraphPart, readonly Method[]> = {
  table3: ['bp', 'dfa'],
  tableA4: ['shallow'],
  tableA2: ['dfa'],
  table4: ['bp', 'dfa'],
  fig2: ['dfa', 'bp', 'shallow'],
};

/** The parts a command runs: its own table and those of --also (`graphs`: all). */
export function partsOf(table: GraphTable, also: readonly GraphTable[] = []): GraphPart[] {
  const all = [table, ...also];
  return GRAPH_PARTS.filter((p) => all.includes(p) || all.includes('graphs'));
}

/** A part's methods: those given (--methods), else the paper's. */
export function methodsOf(part: GraphPart, given?: readonly Method[]): Method[] {
  return [...(given ?? PAPER_METHODS[part])];
}

/**
 * Whether a method delivers a signal of its own at the hidden layer, to compare with BP's
 * gradient (Table A.2): every method but bp (its signal is the gradient) and shallow (none).
 */
export function hasAlignment(m: Method): boolean {
  return m !== 'bp' && m !== 'shallow';
}
