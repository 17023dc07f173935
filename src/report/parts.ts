/**
 * The parts of the paper (its tables and figures, in the paper's order) and the wings that make
 * them, read from the suites' manifests (like the CLI, the report reaches a wing only through
 * them): which `dfa reproduce` tables each part reads, with each table's budgets.
 */
import { SUITES } from '../suites';
import type { LazyCommand, PaperPart, PartSource, Suite, TableBudget, Budget } from '../suites/types';

/** Every table and figure of the paper with numbers or renders to reproduce, in its order. */
export const PAPER_CONTENTS = ['Table 1', 'Table 2', 'Table 3', 'Table 4', 'Table 5', 'Table A.1', 'Table A.2', 'Table A.3', 'Table A.4', 'Table A.5', 'Fig. 2', 'Fig. A.1'] as const;

/** 'Table A.1' → 'tableA1', 'Fig. 2' → 'fig2' (the names `dfa reproduce` uses; --parts takes them). */
export function partSlug(id: string): string {
  return id.replace(/^Table\s*/i, 'table').replace(/^Fig(ure)?\.?\s*/i, 'fig').replace(/\./g, '');
}

export const PART_SLUGS = PAPER_CONTENTS.map(partSlug);

export interface LocatedPart {
  part: PaperPart;
  suite: string;
}

export interface SourceEntry {
  suite: string;
  table: string;
  /** the table, or the key of its second set of budgets (PartSource.budgets) */
  name: string;
  entry: LazyCommand;
  budgets: Readonly<Record<Budget, TableBudget>>;
}

/** How a produced source is found: its wing and its budgets' key. */
export function sourceKey(suite: string, src: PartSource): string {
  return `${suite}/${src.budgets ?? src.table}`;
}

/** The parts the wings declare, by id; a declaration that names a table its wing lacks is an error. */
export function locateParts(suites: readonly Suite[] = SUITES): Map<string, LocatedPart> {
  const out = new Map<string, LocatedPart>();
  for (const s of suites) {
    for (const part of s.report?.parts ?? []) {
      if (out.has(part.id)) throw new Error(`${part.id} is declared by two wings: ${out.get(part.id)!.suite} and ${s.name}`);
      for (const src of part.sources) {
        if (!s.tables[src.table]) throw new Error(`${s.name}'s ${part.id} reads 'dfa reproduce ${src.table}', which the wing does not have`);
        if (!s.report!.budgets[src.budgets ?? src.table]) throw new Error(`${s.name}'s ${part.id} reads '${src.budgets ?? src.table}', whose budgets the wing does not state`);
      }
      out.set(part.id, { part, suite: s.name });
    }
  }
  return out;
}

/** The tables the chosen parts read, each once, in the order the parts first read them. */
export function sourcesOf(parts: readonly LocatedPart[], suites: readonly Suite[] = SUITES): SourceEntry[] {
  const out = new Map<string, SourceEntry>();
  for (const { part, suite } of parts) {
    const s = suites.find((x) => x.name === suite)!;
    for (const src of part.sources) {
      const key = sourceKey(suite, src);
      if (!out.has(key)) out.set(key, { suite, table: src.table, name: src.budgets ?? src.table, entry: s.tables[src.table]!, budgets: s.report!.budgets[src.budgets ?? src.table]! });
    }
  }
  return [...out.values()];
}
