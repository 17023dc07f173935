/** Planetoid data prepared for one architecture: features, graph, split (browser-safe). */
import { rowNormalize, type GraphData } from './parse';
import { Rng } from '../../../engine/rng';
import { Graph } from '../nn/graph';
import { sparse, type NodeInput } from '../nn/input';
import type { ArchSetting } from '../paper';

/** Full-batch node classification data: features, graph, labels and the split's node indices. */
export interface NodeData {
  x: NodeInput;
  graph: Graph;
  y: Int32Array;
  numClasses: number;
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

export function maskToIndex(mask: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(i);
  return Int32Array.from(out);
}


/**
 * The paper's DNAConv split (geometric.py): StratifiedKFold(5, shuffle=True, random_state=seed)
 * over all nodes; fold 0 trains, fold 1 validates, folds 2-4 test (20 / 20 / 60 %). sklearn's
 * shuffle cannot be replayed outside numpy; this is the same scheme with our seeded Rng: each
 * class's nodes shuffled, then dealt to the folds in turn.
 */
export function stratifiedFolds(y: Int32Array, k: number, seed: number): Int32Array[] {
  const rng = new Rng(seed).fork('kfold');
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < y.length; i++) {
    const c = y[i]!;
    if (!byClass.has(c)) byClass.set(c, []);
    byClass.get(c)!.push(i);
  }
  const folds: number[][] = Array.from({ length: k }, () => []);
  let offset = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const nodes = byClass.get(c)!;
    const p = rng.permutation(nodes.length);
    for (let j = 0; j < nodes.length; j++) folds[(offset + j) % k]!.push(nodes[p[j]!]!);
    offset += nodes.length;
  }
  return folds.map((f) => Int32Array.from(f.sort((a, b) => a - b)));
}

/** The features, graph and split an architecture's setting asks for (the DNA k-fold split drawn from `seed`). */
export function nodeData(d: GraphData, s: Pick<ArchSetting, 'normalizeFeatures' | 'split'>, seed: number): NodeData {
  const x = sparse(s.normalizeFeatures ? rowNormalize(d.x) : d.x);
  const graph = new Graph(d.numNodes, d.src, d.dst);
  if (s.split === 'kfold') {
    const f = stratifiedFolds(d.y, 5, seed);
    const test = Int32Array.from([...f[2]!, ...f[3]!, ...f[4]!].sort((a, b) => a - b));
    return { x, graph, y: d.y, numClasses: d.numClasses, train: f[0]!, val: f[1]!, test };
  }
  return { x, graph, y: d.y, numClasses: d.numClasses, train: maskToIndex(d.trainMask), val: maskToIndex(d.valMask), test: maskToIndex(d.testMask) };
}
