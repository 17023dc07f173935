/**
 * Link prediction data, as PyG 1.x `train_test_split_edges` and `negative_sampling`:
 *  - each undirected edge once (src < dst), shuffled; the first ⌊0.05·m⌋ validate, the next
 *    ⌊0.1·m⌋ test, the rest train (and are used in both directions as the encoder's graph);
 *  - validation / test negatives: distinct node pairs i < j that are not edges, drawn uniformly;
 *  - training negatives: `negativeSampling`, fresh random non-edges every epoch.
 */
import type { Rng } from '../../../engine/rng';

export interface EdgePairs {
  src: Int32Array;
  dst: Int32Array;
}

export interface LinkSplit {
  numNodes: number;
  /** training edges, both directions */
  trainPos: EdgePairs;
  valPos: EdgePairs;
  valNeg: EdgePairs;
  testPos: EdgePairs;
  testNeg: EdgePairs;
}

function pairs(list: number[][]): EdgePairs {
  return { src: Int32Array.from(list.map((p) => p[0]!)), dst: Int32Array.from(list.map((p) => p[1]!)) };
}

export function trainTestSplitEdges(numNodes: number, src: Int32Array, dst: Int32Array, rng: Rng, valRatio = 0.05, testRatio = 0.1): LinkSplit {
  const und: number[][] = [];
  for (let e = 0; e < src.length; e++) if (src[e]! < dst[e]!) und.push([src[e]!, dst[e]!]);
  const m = und.length;
  const perm = rng.permutation(m);
  const shuffled = Array.from(perm, (i) => und[i]!);
  const nv = Math.floor(valRatio * m), nt = Math.floor(testRatio * m);
  const val = shuffled.slice(0, nv), test = shuffled.slice(nv, nv + nt), train = shuffled.slice(nv + nt);
  const trainBoth = [...train, ...train.map(([a, b]) => [b!, a!])];
  // Negatives for val + test: distinct non-edges i < j (rejection sampling; graphs are sparse).
  const edgeSet = new Set<number>();
  for (let e = 0; e < src.length; e++) edgeSet.add(src[e]! * numNodes + dst[e]!);
  const chosen = new Set<number>();
  const neg: number[][] = [];
  while (neg.length < nv + nt) {
    let i = rng.int(numNodes), j = rng.int(numNodes);
    if (i === j) continue;
    if (i > j) [i, j] = [j, i];
    const k = i * numNodes + j;
    if (edgeSet.has(k) || chosen.has(k)) continue;
    chosen.add(k);
    neg.push([i, j]);
  }
  return { numNodes, trainPos: pairs(trainBoth), valPos: pairs(val), valNeg: pairs(neg.slice(0, nv)), testPos: pairs(test), testNeg: pairs(neg.slice(nv)) };
}

/** `count` random pairs (i, j), i ≠ j, that are not edges of `pos` (rejection sampling). */
export function negativeSampling(pos: EdgePairs, numNodes: number, count: number, rng: Rng): EdgePairs {
  const set = new Set<number>();
  for (let e = 0; e < pos.src.length; e++) set.add(pos.src[e]! * numNodes + pos.dst[e]!);
  const s = new Int32Array(count), d = new Int32Array(count);
  for (let k = 0; k < count; ) {
    const i = rng.int(numNodes), j = rng.int(numNodes);
    if (i === j || set.has(i * numNodes + j)) continue;
    s[k] = i;
    d[k++] = j;
  }
  return { src: s, dst: d };
}
