/**
 * The output contract shared by every `dfa reproduce` command: one row per table cell, printed
 * beside the paper's value, written as JSON (`--json FILE`) and as a Markdown table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { meanStd } from '../metrics/stats';

export { meanStd };

export interface ResultRow {
  table: string; // e.g. 'table3'
  dataset: string; // e.g. 'cora'
  model: string; // e.g. 'GCN'
  method: string; // 'bp' | 'dfa' | 'fa' | 'shallow' | other variants
  metric: string; // e.g. 'test accuracy (%)', 'AUC', 'PSNR (dB)', 'perplexity'
  mean: number;
  std: number;
  seeds: number;
  paper: number | null; // the paper's value for this cell, null where the paper has none
  values?: number[]; // per-seed values
  note?: string; // scale differences from the paper, skipped reasons, ...
}

function fmt(x: number | null, digits: number): string {
  if (x === null || Number.isNaN(x)) return '—';
  return x.toFixed(digits);
}

const HEAD = ['table', 'dataset', 'model', 'method', 'metric', 'ours (mean ± std)', 'seeds', 'paper', 'Δ'];

function cells(r: ResultRow, digits: number): string[] {
  const delta = r.paper === null || Number.isNaN(r.mean) ? null : r.mean - r.paper;
  return [
    r.table, r.dataset, r.model, r.method, r.metric,
    `${fmt(r.mean, digits)} ± ${fmt(r.std, digits)}`, String(r.seeds), fmt(r.paper, digits),
    delta === null ? '—' : (delta >= 0 ? '+' : '') + delta.toFixed(digits),
  ];
}

/** A fixed-width text table for the terminal. */
export function formatTable(rows: ResultRow[], digits = 2): string {
  const body = rows.map((r) => cells(r, digits));
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i]!)).join('  ');
  const notes = rows.filter((r) => r.note).map((r) => `  * ${r.dataset}/${r.model}/${r.method}: ${r.note}`);
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

export function formatMarkdown(rows: ResultRow[], digits = 2): string {
  const body = rows.map((r) => `| ${cells(r, digits).join(' | ')} |`);
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.dataset}/${r.model}/${r.method}: ${r.note}`);
  return [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => ' --- ').join('|')}|`, ...body, ...(notes.length ? ['', ...notes] : [])].join('\n') + '\n';
}

/** digits: decimals of the Markdown table, as the printed one (AUCs need 4: their differences are ~0.005). */
export function writeResults(rows: ResultRow[], opts: { json?: string; markdown?: string; meta?: Record<string, unknown>; digits?: number }): void {
  if (opts.json) {
    mkdirSync(dirname(opts.json), { recursive: true });
    writeFileSync(opts.json, JSON.stringify({ ...opts.meta, rows }, null, 2) + '\n');
  }
  if (opts.markdown) {
    mkdirSync(dirname(opts.markdown), { recursive: true });
    writeFileSync(opts.markdown, formatMarkdown(rows, opts.digits));
  }
}
