/** The paper's graph numbers (section 3.2, appendices A and B). */
import type { Arch } from './models/node';

export type Dataset = 'cora' | 'citeseer' | 'pubmed';

/** Table 3: test accuracy (%), [BP, DFA]. */
export const TABLE3: Record<Dataset, Record<Arch, [number, number]>> = {
  cora: { cheb: [79.2, 75.4], gcn: [80.1, 79.9], spline: [81.0, 77.7], gat: [82.6, 80.6], dna: [84.6, 82.9] },
  citeseer: { cheb: [69.5, 67.6], gcn: [71.6, 69.4], spline: [70.0, 69.8], gat: [72.0, 71.2], dna: [73.4, 70.8] },
  pubmed: { cheb: [79.5, 75.7], gcn: [78.8, 77.8], spline: [77.5, 77.2], gat: [77.7, 77.1], dna: [87.2, 79.9] },
};

/** Table A.4: shallow test accuracy (%). */
export const TABLEA4: Record<Dataset, Record<Arch, number>> = {
  cora: { cheb: 23.3, gcn: 37.0, spline: 39.6, gat: 59.4, dna: 30.2 },
  citeseer: { cheb: 27.4, gcn: 33.8, spline: 30.1, gat: 49.8, dna: 24.0 },
  pubmed: { cheb: 37.6, gcn: 44.8, spline: 44.2, gat: 67.8, dna: 42.2 },
};

/** Table A.2: alignment cosine on Cora, mean (std). */
export const TABLEA2: Record<Arch, [number, number]> = {
  cheb: [0.87, 0.12], gcn: [0.77, 0.25], spline: [0.56, 0.22], gat: [0.63, 0.18], dna: [0.92, 0.30],
};

/** Table 4: GAE, { auc: [BP, DFA], ap: [BP, DFA] }. */
export const TABLE4: Record<Dataset, { auc: [number, number]; ap: [number, number] }> = {
  cora: { auc: [0.918, 0.9], ap: [0.918, 0.9] },
  citeseer: { auc: [0.886, 0.879], ap: [0.895, 0.889] },
  pubmed: { auc: [0.967, 0.945], ap: [0.966, 0.945] },
};
