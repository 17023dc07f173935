/**
 * The regression set of the one-core redesign (issue 16): a small configuration of every
 * `dfa reproduce` table, `dfa demo`, `dfa train` and the playground's two sessions, whose numbers
 * were recorded before anything moved (fixtures/) and must stay the same.
 * `{dir}` is replaced by a fresh temporary folder; `json` names the file the numbers are read from.
 */
export interface RegressionCase {
  name: string;
  argv: string[];
  /** the output file, relative to {dir} */
  json: string;
  kind: 'rows' | 'train' | 'demo';
  /** backends it runs on (default both); plain tfjs cpu is 10-50x slower on the big models */
  backends?: ('native' | 'cpu')[];
}

export const CASES: RegressionCase[] = [
  { name: 'graphs-node', kind: 'rows', json: 'graphs-node.json', argv: ['reproduce', 'table3', '--datasets', 'cora', '--models', 'gcn,gat', '--seeds', '1', '--epochs', '20', '--also', 'tableA4,tableA2', '--json', '{dir}/graphs-node.json'] },
  { name: 'graphs-gae', kind: 'rows', json: 'graphs-gae.json', argv: ['reproduce', 'table4', '--datasets', 'cora', '--seeds', '1', '--gae-epochs', '10', '--json', '{dir}/graphs-gae.json'] },
  { name: 'recsys-sample', backends: ['native'], kind: 'rows', json: 'recsys-sample.json', argv: ['reproduce', 'recsys', '--epochs', '1', '--out', '{dir}/tableA1', '--json', '{dir}/recsys-sample.json'] },
  { name: 'recsys-synth', backends: ['native'], kind: 'rows', json: 'recsys-synth.json', argv: ['reproduce', 'recsys-synth', '--rows', '2000', '--out', '{dir}/recsys-synth', '--json', '{dir}/recsys-synth.json'] },
  { name: 'recsys-synth-lite', backends: ['cpu'], kind: 'rows', json: 'recsys-synth-lite.json', argv: ['reproduce', 'recsys-synth', '--rows', '2000', '--cells', 'deepfm/bp,deepfm/dfa', '--out', '{dir}/recsys-synth-lite', '--json', '{dir}/recsys-synth-lite.json'] },
  { name: 'figA1', backends: ['native'], kind: 'rows', json: 'figA1.json', argv: ['reproduce', 'figA1', '--iters', '20', '--rays', '32', '--samples', '16', '--factor', '8', '--test-views', '1', '--out', '{dir}/figA1', '--json', '{dir}/figA1.json'] },
  { name: 'table1', backends: ['native'], kind: 'rows', json: 'table1.json', argv: ['reproduce', 'table1', '--iters', '3', '--rays', '16', '--samples', '8', '--importance', '8', '--lego-factor', '16', '--fern-downscale', '32', '--test-views', '1', '--out', '{dir}/table1', '--json', '{dir}/table1.json'] },
  { name: 'table5', kind: 'rows', json: 'table5.json', argv: ['reproduce', 'table5', '--vocab', '256', '--d', '16', '--layers', '2', '--heads', '2', '--ffn', '32', '--ctx', '16', '--batch', '4', '--epochs', '2', '--steps', '5', '--valid-chunks', '8', '--json', '{dir}/table5.json'] },
  { name: 'demo', kind: 'demo', json: 'demo/result.json', argv: ['demo', '--epochs', '3', '--out', '{dir}/demo'] },
  { name: 'train-dropout', kind: 'train', json: 'train/result.json', argv: ['train', 'teacher', '--method', 'dfa', '--epochs', '3', '--dropout', '0.2', '--out', '{dir}/train'] },
];
