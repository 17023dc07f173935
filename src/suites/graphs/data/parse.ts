/**
 * Planetoid citation graphs (Cora, CiteSeer, PubMed; Yang et al. 2016, public split) parsed from
 * the bytes of the canonical raw files `ind.<name>.{x,tx,allx,y,ty,ally,graph,test.index}`
 * (Python-2 pickles, read by ./pickle). Browser-safe: no file system here; the Node loader
 * (./planetoid) reads the files, the playground gets them from a file picker or its server.
 * Processing as torch_geometric's `read_planetoid_data`:
 *  - x = vstack(allx, tx), then x[test_index] = x[sort(test_index)]; the same for the labels;
 *  - CiteSeer: tx/ty are first padded with zero rows over min..max(test_index) (its 15 isolated
 *    test-range nodes get zero features and label 0 and are in no mask);
 *  - train = range(len(y)), val = the next 500, test = test_index;
 *  - edges: the dict of neighbour lists, self loops removed, made undirected, coalesced (sorted by
 *    (source, target), no duplicates).
 * Features stay sparse (CSR, raw values; normalise with `rowNormalize`).
 */
import { unpickle, ndarrayValues, PickleError, type PyValue, type NdArray, type CsrMatrix } from './pickle';

export type PlanetoidName = 'cora' | 'citeseer' | 'pubmed';
export const PLANETOID_NAMES: PlanetoidName[] = ['cora', 'citeseer', 'pubmed'];
export const PLANETOID_DISPLAY: Record<PlanetoidName, string> = { cora: 'Cora', citeseer: 'CiteSeer', pubmed: 'PubMed' };
export const RAW_SUFFIXES = ['x', 'tx', 'allx', 'y', 'ty', 'ally', 'graph', 'test.index'] as const;
/** Where the canonical files live (kimiyoung/planetoid, MIT; identical blobs in tkipf/gcn). */
export const PLANETOID_URL = 'https://github.com/kimiyoung/planetoid/raw/master/data';

/** Compressed sparse rows (the features: float32 values, column indices sorted within each row). */
import type { Csr } from '../../../engine/ops/spmm';
export type { Csr };

export interface GraphData {
  name: string;
  numNodes: number;
  numFeatures: number;
  numClasses: number;
  x: Csr;
  y: Int32Array;
  /** Directed edge list, both directions present, sorted by (src, dst), no self loops. */
  src: Int32Array;
  dst: Int32Array;
  trainMask: Uint8Array;
  valMask: Uint8Array;
  testMask: Uint8Array;
}

export class PlanetoidFileError extends Error {}

export function rawName(name: PlanetoidName, suffix: string): string {
  return `ind.${name}.${suffix}`;
}

/** How to get missing raw files (the canonical URLs; PubMed's allx also by hash). */
export function missingMessageLines(name: PlanetoidName, missing: string[]): string {
  const urls = missing.map((m) => `  ${PLANETOID_URL}/${m}`).join('\n');
  let extra = '';
  if (name === 'pubmed' && missing.includes('ind.pubmed.allx')) {
    extra = '\nind.pubmed.allx is 7,578,385 bytes (18717 x 500 TF-IDF, scipy CSR): git blob sha1 3b86bccf08111c37c632a9dd8ab63db25ea76361 ' +
      '(also in tkipf/gcn gcn/data/), sha256 508e538e2abdccdd54c4d3e9f49d638b4af7107d85845f66ddea5a5152658b7e.';
  }
  return `Get ${missing.length > 1 ? 'them' : 'it'} from the canonical Planetoid repository (kimiyoung/planetoid, data/):\n${urls}${extra}`;
}

function expectCsr(v: PyValue, where: string): CsrMatrix {
  if (!v || typeof v !== 'object' || (v as CsrMatrix).kind !== 'csr') throw new PlanetoidFileError(`${where}: expected a scipy CSR matrix`);
  return v as CsrMatrix;
}
function expectNd(v: PyValue, where: string): NdArray {
  if (!v || typeof v !== 'object' || (v as NdArray).kind !== 'ndarray') throw new PlanetoidFileError(`${where}: expected a numpy array`);
  const a = v as NdArray;
  if (a.shape.length !== 2) throw new PlanetoidFileError(`${where}: expected a 2-D numpy array, got shape [${a.shape}]`);
  return a;
}

interface RowMatrix {
  rows: number;
  cols: number;
  row(i: number): { idx: ArrayLike<number>; val: ArrayLike<number> };
}

function csrRows(m: CsrMatrix, where: string): RowMatrix {
  const indptr = ndarrayValues(m.indptr, `${where} indptr`);
  const indices = ndarrayValues(m.indices, `${where} indices`);
  const data = ndarrayValues(m.data, `${where} data`);
  const [rows, cols] = m.shape;
  if (indptr.length !== rows + 1 || indptr[rows] !== indices.length || indices.length !== data.length) {
    throw new PlanetoidFileError(`${where}: inconsistent CSR (shape ${rows}x${cols}, indptr ${indptr.length}, nnz ${indices.length}/${data.length})`);
  }
  for (let i = 0; i < indices.length; i++) {
    if (indices[i]! < 0 || indices[i]! >= cols) throw new PlanetoidFileError(`${where}: column index ${indices[i]} out of range [0, ${cols})`);
    if (!Number.isFinite(data[i]!)) throw new PlanetoidFileError(`${where}: value ${data[i]} (entry ${i}) is not a finite number`);
  }
  for (let i = 0; i < rows; i++) if (!(indptr[i + 1]! >= indptr[i]!) || indptr[i]! < 0) throw new PlanetoidFileError(`${where}: row pointers decrease at row ${i} (damaged CSR)`);
  return { rows, cols, row: (i) => ({ idx: indices.subarray(indptr[i]!, indptr[i + 1]!), val: data.subarray(indptr[i]!, indptr[i + 1]!) }) };
}

const EMPTY = { idx: new Int32Array(0), val: new Float32Array(0) };

/** Labels of one-hot rows: argmax, first maximum; an all-zero row gives 0 (as torch.max). */
function argmaxRows(a: NdArray, where: string): { labels: Int32Array; classes: number } {
  const v = ndarrayValues(a, where);
  const [n, c] = a.shape as [number, number];
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i]!)) throw new PlanetoidFileError(`${where}: value ${v[i]} (entry ${i}) is not a finite number`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (v[i * c + j]! > v[i * c + best]!) best = j;
    out[i] = best;
  }
  return { labels: out, classes: c };
}

/**
 * The graph from the raw files' bytes: `read(file)` returns the bytes of `ind.<name>.<suffix>`;
 * `where(file)` is how errors name the file (a path in Node, the plain name in a browser).
 */
export function parsePlanetoid(name: PlanetoidName, read: (file: string) => Uint8Array, where: (file: string) => string = (f) => f): GraphData {
  const f = (s: string) => rawName(name, s);
  const readPickle = (file: string): PyValue => {
    const buf = read(file);
    const p = where(file);
    if (buf.length === 0) throw new PlanetoidFileError(`${p}: file is empty`);
    try {
      return unpickle(buf, p);
    } catch (e) {
      if (e instanceof PickleError) throw new PlanetoidFileError(`${e.message}; re-download ${file} from ${PLANETOID_URL}/${file}`);
      throw e;
    }
  };

  const w = (suffix: string) => where(f(suffix));
  const x = csrRows(expectCsr(readPickle(f('x')), w('x')), w('x'));
  const tx = csrRows(expectCsr(readPickle(f('tx')), w('tx')), w('tx'));
  const allx = csrRows(expectCsr(readPickle(f('allx')), w('allx')), w('allx'));
  const y = expectNd(readPickle(f('y')), w('y'));
  const ty = expectNd(readPickle(f('ty')), w('ty'));
  const ally = expectNd(readPickle(f('ally')), w('ally'));
  const graph = readPickle(f('graph'));
  if (!(graph instanceof Map)) throw new PlanetoidFileError(`${w('graph')}: expected a dict of neighbour lists`);
  const testIndex = readTestIndex(read(f('test.index')), w('test.index'));

  // Across files: each message names the files that disagree.
  const F = allx.cols;
  if (tx.cols !== F || x.cols !== F) throw new PlanetoidFileError(`feature widths differ: ${w('x')} ${x.cols}, ${w('tx')} ${tx.cols}, ${w('allx')} ${allx.cols}`);
  if (tx.rows !== ty.shape[0]) throw new PlanetoidFileError(`row counts differ: ${w('tx')} ${tx.rows}, ${w('ty')} ${ty.shape[0]}`);
  if (allx.rows !== ally.shape[0]) throw new PlanetoidFileError(`row counts differ: ${w('allx')} ${allx.rows}, ${w('ally')} ${ally.shape[0]}`);
  if (x.rows !== y.shape[0] || x.rows > allx.rows) throw new PlanetoidFileError(`row counts differ: ${w('x')} ${x.rows}, ${w('y')} ${y.shape[0]} (at most the ${allx.rows} of ${w('allx')})`);
  if (y.shape[1] !== ally.shape[1] || ty.shape[1] !== ally.shape[1]) throw new PlanetoidFileError(`class counts differ: ${w('y')} ${y.shape[1]}, ${w('ty')} ${ty.shape[1]}, ${w('ally')} ${ally.shape[1]}`);
  if (testIndex.length !== tx.rows) throw new PlanetoidFileError(`${w('test.index')}: ${testIndex.length} indices for the ${tx.rows} test rows of ${w('tx')}`);
  const yL = argmaxRows(y, w('y'));
  const tyL = argmaxRows(ty, w('ty'));
  const allyL = argmaxRows(ally, w('ally'));
  const C = allyL.classes;

  const sorted = Int32Array.from(testIndex).sort();
  const lo = sorted[0]!, hi = sorted[sorted.length - 1]!;
  // The test nodes are nodes of the graph: a damaged index must not pad the range to billions of rows.
  const last = lastNode(graph);
  if (hi > last) throw new PlanetoidFileError(`${w('test.index')}: test index ${hi} is beyond the last node of ${w('graph')} (${last})`);
  // Test rows, padded to the full range lo..hi where it has gaps (CiteSeer's isolated nodes).
  const testRows: ({ idx: ArrayLike<number>; val: ArrayLike<number> })[] = [];
  let testLabels: Int32Array;
  if (hi - lo + 1 > tx.rows) {
    const len = hi - lo + 1;
    for (let i = 0; i < len; i++) testRows.push(EMPTY);
    testLabels = new Int32Array(len);
    for (let i = 0; i < sorted.length; i++) {
      testRows[sorted[i]! - lo] = tx.row(i);
      testLabels[sorted[i]! - lo] = tyL.labels[i]!;
    }
  } else {
    for (let i = 0; i < tx.rows; i++) testRows.push(tx.row(i));
    testLabels = tyL.labels;
  }
  const N = allx.rows + testRows.length;
  const rowOf = (i: number) => (i < allx.rows ? allx.row(i) : testRows[i - allx.rows]!);
  const labelOf = (i: number) => (i < allx.rows ? allyL.labels[i]! : testLabels[i - allx.rows]!);
  // x[test_index] = x[sorted_test_index]: node test_index[k] takes the row at sorted[k].
  const perm = new Int32Array(N);
  for (let i = 0; i < N; i++) perm[i] = i;
  for (let k = 0; k < testIndex.length; k++) {
    if (testIndex[k]! >= N || sorted[k]! >= N) throw new PlanetoidFileError(`${w('test.index')}: index ${Math.max(testIndex[k]!, sorted[k]!)} out of range for ${N} nodes`);
    perm[testIndex[k]!] = sorted[k]!;
  }

  const indptr = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) indptr[i + 1] = indptr[i]! + rowOf(perm[i]!).idx.length;
  const nnz = indptr[N]!;
  const indices = new Int32Array(nnz), data = new Float32Array(nnz);
  const labels = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const r = rowOf(perm[i]!);
    const order = Array.from({ length: r.idx.length }, (_, k) => k).sort((a, b) => r.idx[a]! - r.idx[b]!);
    let p = indptr[i]!;
    for (const k of order) {
      indices[p] = r.idx[k]!;
      data[p++] = r.val[k]!;
    }
    labels[i] = labelOf(perm[i]!);
  }
  void x; // ind.<name>.x equals the first len(y) rows of allx; it is parsed (validated) but not needed.

  const { src, dst } = edgesFromDict(graph, N, w('graph'));
  const trainMask = new Uint8Array(N), valMask = new Uint8Array(N), testMask = new Uint8Array(N);
  const nTrain = yL.labels.length;
  for (let i = 0; i < nTrain; i++) trainMask[i] = 1;
  for (let i = nTrain; i < Math.min(N, nTrain + 500); i++) valMask[i] = 1;
  for (const t of testIndex) testMask[t] = 1;

  return {
    name: PLANETOID_DISPLAY[name], numNodes: N, numFeatures: F, numClasses: C,
    x: { numRows: N, numCols: F, indptr, indices, data }, y: labels, src, dst, trainMask, valMask, testMask,
  };
}

/**
 * The graph from in-memory files keyed by file name (`ind.cora.x`, …), e.g. from a browser's file
 * picker or fetched from a server; a missing file is an error naming it.
 */
export function parsePlanetoidFiles(name: PlanetoidName, files: ReadonlyMap<string, Uint8Array | ArrayBuffer>): GraphData {
  const missing = RAW_SUFFIXES.map((s) => rawName(name, s)).filter((n) => !files.has(n));
  if (missing.length) {
    throw new PlanetoidFileError(`${PLANETOID_DISPLAY[name]}: missing raw file${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.\n${missingMessageLines(name, missing)}`);
  }
  return parsePlanetoid(name, (file) => {
    const b = files.get(file)!;
    return b instanceof Uint8Array ? b : new Uint8Array(b);
  });
}

function readTestIndex(bytes: Uint8Array, p: string): Int32Array {
  const text = new TextDecoder().decode(bytes);
  const out: number[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    const s = line.trim();
    if (!s) continue;
    if (!/^\d+$/.test(s)) throw new PlanetoidFileError(`${p}: line ${i + 1} is not a node index: '${s.slice(0, 40)}'`);
    if (Number(s) > 2 ** 31 - 1) throw new PlanetoidFileError(`${p}: line ${i + 1}: node index ${s.slice(0, 40)} is too large`);
    out.push(Number(s));
  }
  if (!out.length) throw new PlanetoidFileError(`${p}: no test indices`);
  return Int32Array.from(out);
}

/** The largest node id in the graph dict (keys and neighbours; other entries are reported by edgesFromDict). */
function lastNode(graph: Map<PyValue, PyValue>): number {
  let m = -1;
  for (const [k, v] of graph) {
    if (typeof k === 'number') m = Math.max(m, k);
    if (Array.isArray(v)) for (const n of v) if (typeof n === 'number') m = Math.max(m, n);
  }
  return m;
}

/** (key, neighbour) pairs of the dict, self loops removed, both directions, sorted and unique. */
function edgesFromDict(graph: Map<PyValue, PyValue>, N: number, where: string): { src: Int32Array; dst: Int32Array } {
  const keys: number[] = [];
  for (const [k, v] of graph) {
    if (typeof k !== 'number' || !Array.isArray(v)) throw new PlanetoidFileError(`${where}: expected int -> list of int`);
    for (const n of v) {
      if (typeof n !== 'number') throw new PlanetoidFileError(`${where}: neighbour ${String(n)} of ${k} is not an int`);
      if (k < 0 || k >= N || n < 0 || n >= N) throw new PlanetoidFileError(`${where}: edge (${k}, ${n}) outside the ${N} nodes`);
      if (k === n) continue;
      keys.push(k * N + n, n * N + k);
    }
  }
  const codes = Float64Array.from(keys).sort();
  let m = 0;
  for (let i = 0; i < codes.length; i++) if (i === 0 || codes[i] !== codes[i - 1]) codes[m++] = codes[i]!;
  const src = new Int32Array(m), dst = new Int32Array(m);
  for (let i = 0; i < m; i++) {
    src[i] = Math.floor(codes[i]! / N);
    dst[i] = codes[i]! - src[i]! * N;
  }
  return { src, dst };
}

/** Row-normalised copy, as torch_geometric's NormalizeFeatures: x / max(rowsum, 1) (0/1 rows sum to 1). */
export function rowNormalize(x: Csr): Csr {
  const data = new Float32Array(x.data.length);
  for (let i = 0; i < x.numRows; i++) {
    let s = 0;
    for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) s += x.data[p]!;
    const inv = 1 / Math.max(s, 1);
    for (let p = x.indptr[i]!; p < x.indptr[i + 1]!; p++) data[p] = x.data[p]! * inv;
  }
  return { ...x, data };
}
