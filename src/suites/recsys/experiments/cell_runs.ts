/** The runs of one table cell (its seeds) among an experiment's outcomes: the finished results and a note per seed that is missing or failed. */
import type { RunOutcome } from '../../../command/experiment';

export interface CellRuns<R> {
  results: R[];
  /** 'seed 1 not run yet', 'seed 2 failed: …' */
  notes: string[];
}

export function cellRuns<R>(outcomes: Map<string, RunOutcome<R>>, seeds: number[], idOf: (seed: number) => string): CellRuns<R> {
  const results: R[] = [];
  const notes: string[] = [];
  for (const s of seeds) {
    const o = outcomes.get(idOf(s));
    if (!o) notes.push(`seed ${s} not run yet`);
    else if (!o.ok) notes.push(`seed ${s} failed: ${o.error}`);
    else results.push(o.result);
  }
  return { results, notes };
}
