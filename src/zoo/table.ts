/**
 * The zoo as one table: a row per model and method (or DFA variant), three measures per cell
 * (metric, alignment, step time relative to BP, each mean ± std), and numbered notes for cells
 * where a method is undefined for a model or seeds are missing.
 */
export interface Stat {
  mean: number;
  std: number;
}

export interface ZooCell {
  /** the model's label and its metric's name */
  model: string;
  metric: string;
  /** the row: a method or a DFA variant */
  row: string;
  /** why the method is undefined for this model (no run) */
  undefined?: string;
  values?: number[];
  mean?: Stat;
  alignment?: Stat | null;
  time?: Stat | null;
  /** missing, failed or diverged seeds */
  issues?: string[];
}

const HEAD = ['model', 'metric', 'method', 'mean ± std', 'alignment', 'time ×BP', 'note'];

function pm(s: Stat | null | undefined, digits: number): string {
  if (!s || !Number.isFinite(s.mean)) return '—';
  return Number.isFinite(s.std) ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

/** The text and Markdown tables, and the numbered notes they refer to. */
export function formatZoo(cells: ZooCell[]): { text: string; markdown: string; notes: string[] } {
  const notes: string[] = [];
  const ref = (text: string) => {
    let i = notes.indexOf(text);
    if (i < 0) i = notes.push(text) - 1;
    return `[${i + 1}]`;
  };
  const body = cells.map((c) => {
    if (c.undefined) return [c.model, c.metric, c.row, 'undefined', '—', '—', ref(c.undefined)];
    const note = c.issues?.length ? ref(`${c.model} ${c.row}: ${c.issues.join('; ')}`) : '';
    return [c.model, c.metric, c.row, pm(c.mean, 2), pm(c.alignment, 3), c.row === 'bp' ? '1' : pm(c.time, 2), note];
  });
  // the text table names each model once, at its first row
  const text = body.map((b, i) => (i > 0 && body[i - 1]![0] === b[0] ? ['', '', ...b.slice(2)] : b));
  const widths = HEAD.map((h, i) => Math.max(h.length, ...text.map((b) => b[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  const numbered = notes.map((n, i) => `[${i + 1}] ${n}`);
  return {
    text: [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n'),
    markdown: [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => ' --- ').join('|')}|`, ...body.map((b) => `| ${b.join(' | ')} |`)].join('\n') + '\n',
    notes: numbered,
  };
}
