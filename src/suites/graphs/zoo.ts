/**
 * The graph wing's model for applications that compare methods across wings (`dfa reproduce zoo`,
 * src/zoo): the paper's two-layer GCN on Cora's public split as a TrainTask with its training
 * settings per method (paper.ts: BP's dropout 0.5 / weight decay 5e-4, every other method DFA's
 * 0.1 / 1e-4; Adam lr 0.01, full batch). The same streams as the graph tables' runs (runNode), so
 * a seed gives the numbers of table3's cell at the same epochs.
 */
import { Rng } from '../../engine/rng';
import type { Method } from '../../feedback';
import type { TrainConfig } from '../../train/trainer';
import { nodeData } from './data/node_data';
import { archSetting } from './paper';
import { loadRunData } from './tables/run_data';
import { NodeTask } from './train/node_task';

export interface GcnCoraSetup {
  task: NodeTask;
  /** the run's training settings, but for its method, seed and signal options */
  config: Omit<TrainConfig, 'method' | 'seed' | 'feedback'>;
  /** what the run is, in one line */
  describe: string;
}

/** The GCN on Cora (`data`: a folder holding cora/, default the shared data), trained `epochs` epochs. */
export async function gcnCora(method: Method, seed: number, epochs: number, data: string | null = null): Promise<GcnCoraSetup> {
  const d = await loadRunData('cora', data);
  const s = archSetting('gcn', method);
  const nd = nodeData(d, s, seed);
  const rng = new Rng(seed);
  const model = s.build(nd.x, nd.graph, nd.numClasses, rng.fork('init'));
  const task = new NodeTask(model, nd, { name: 'cora/gcn', describe: { dataset: 'cora', arch: 'gcn', setting: s.describe } });
  return { task, config: { epochs, optimizer: { name: 'adam', lr: s.lr }, rng: rng.fork('train') }, describe: `${s.describe}, ${epochs} epochs` };
}
