/**
 * What the report page shows for `dfa train` runs: per run its config.json, the metrics.jsonl
 * records (one per epoch) and result.json. Shared by the Node reader (runs.ts) and the page.
 */
export interface RunRecord {
  epoch: number;
  step?: number;
  trainLoss: number;
  val?: { loss: number; metric: number };
  test?: { loss: number; metric: number };
  alignment?: { name: string; mean: number; std?: number }[];
}

export interface RunData {
  /** the run directory as given */
  id: string;
  config: Record<string, unknown> | null;
  records: RunRecord[];
  result: Record<string, unknown> | null;
}

export interface ReportData {
  runs: RunData[];
}
