/**
 * Figure 2 / A.2: t-SNE of the two-layer GCN's hidden activations (ReLU of layer 1, evaluation
 * mode) on Cora after training with DFA, BP and shallow (or the methods asked for), coloured by
 * class, side by side under titles naming each panel's method. The runs embed their hidden layer
 * (node_run.ts, the same t-SNE settings for all, as the paper); this draws the picture from their
 * results, in the submitting process, once every run has finished.
 */
import { join } from 'node:path';
import type { RunOutcome } from '../../../command/experiment';
import { writeScatter, type ScatterPanel } from '../../../viz/scatter';
import type { GraphRunResult } from './assemble';
import type { NodeRunResult } from './node_run';
import { fig2Runs, type GraphSettings } from './plan';

export const FIG2_FILE = 'fig2_tsne_cora_gcn';

/** A panel's title: the method, and the classifier's test accuracy. */
export function panelTitle(method: string, testAcc: number): string {
  return `${method.toUpperCase()} (test ${(100 * testAcc).toFixed(1)} %)`;
}

/** Draws fig2 (PNG + SVG) from the runs that finished; returns the files written (none without a finished run). */
export function drawFig2(s: GraphSettings, outcomes: Map<string, RunOutcome<GraphRunResult>>): string[] {
  const panels: ScatterPanel[] = [];
  for (const { method, id } of fig2Runs(s)) {
    const o = outcomes.get(id);
    const r = o?.ok ? (o.result as NodeRunResult) : undefined;
    if (!r?.tsne) continue;
    panels.push({ title: panelTitle(method, r.testAcc), points: Float64Array.from(r.tsne.points), labels: Int32Array.from(r.tsne.labels) });
  }
  if (!panels.length) return [];
  return writeScatter(join(s.outDir, FIG2_FILE), panels);
}
