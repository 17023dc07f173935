/**
 * Writes small Planetoid raw files as Python 2 wrote them (pickle protocol 2: numpy arrays through
 * numpy.core.multiarray._reconstruct, scipy CSR matrices through copy_reg._reconstructor, the
 * graph as a collections.defaultdict of lists), so the fuzz suite can mutate a whole data set
 * that parses in well under a millisecond (Cora's takes ~100 ms).
 */

class Pickler {
  private parts: number[] = [0x80, 2];
  op(...bytes: number[]): this {
    this.parts.push(...bytes);
    return this;
  }
  text(s: string): this {
    for (let i = 0; i < s.length; i++) this.parts.push(s.charCodeAt(i) & 0xff);
    return this;
  }
  global(module: string, name: string): this {
    return this.op(0x63).text(`${module}\n${name}\n`);
  }
  int(n: number): this {
    if (n >= 0 && n < 256) return this.op(0x4b, n);
    if (n >= 0 && n < 65536) return this.op(0x4d, n & 255, n >> 8);
    const b = new Uint8Array(new Int32Array([n]).buffer);
    return this.op(0x4a, ...b);
  }
  str(s: string | Uint8Array): this {
    const b = typeof s === 'string' ? Uint8Array.from(s, (c) => c.charCodeAt(0)) : s;
    if (b.length < 256) return this.op(0x55, b.length, ...b);
    const n = new Uint8Array(new Int32Array([b.length]).buffer);
    return this.op(0x54, ...n, ...b);
  }
  tuple(items: (() => void)[]): this {
    if (items.length === 0) return this.op(0x29);
    this.op(0x28);
    items.forEach((f) => f());
    return this.op(0x74);
  }
  done(): Uint8Array {
    return Uint8Array.from([...this.parts, 0x2e]);
  }
}

type Dtype = 'f4' | 'f8' | 'i4' | 'i8';

function ndarray(p: Pickler, shape: number[], dtype: Dtype, values: ArrayLike<number>): void {
  const w = dtype.endsWith('8') ? 8 : 4;
  const raw = new Uint8Array(values.length * w);
  const dv = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (dtype === 'f4') dv.setFloat32(4 * i, v, true);
    else if (dtype === 'f8') dv.setFloat64(8 * i, v, true);
    else if (dtype === 'i4') dv.setInt32(4 * i, v, true);
    else dv.setBigInt64(8 * i, BigInt(v), true);
  }
  p.global('numpy.core.multiarray', '_reconstruct');
  p.tuple([() => p.global('numpy', 'ndarray'), () => p.tuple([() => p.int(0)]), () => p.str('b')]).op(0x52);
  p.tuple([
    () => p.int(1),
    () => p.tuple(shape.map((d) => () => p.int(d))),
    () => {
      p.global('numpy', 'dtype').tuple([() => p.str(dtype), () => p.int(0), () => p.int(1)]).op(0x52);
      p.tuple([() => p.int(3), () => p.str('<'), () => p.op(0x4e), () => p.op(0x4e), () => p.op(0x4e), () => p.int(-1), () => p.int(-1), () => p.int(0)]).op(0x62);
    },
    () => p.op(0x89),
    () => p.str(raw),
  ]).op(0x62);
}

/** A numpy array pickle (C order). */
export function pickleNdarray(shape: number[], dtype: Dtype, values: ArrayLike<number>): Uint8Array {
  const p = new Pickler();
  ndarray(p, shape, dtype, values);
  return p.done();
}

/** A scipy.sparse.csr_matrix pickle from dense rows (float32 values, int32 indices). */
export function pickleCsr(rows: number[][]): Uint8Array {
  const cols = rows[0]?.length ?? 0;
  const indptr = [0], indices: number[] = [], data: number[] = [];
  for (const r of rows) {
    r.forEach((v, j) => {
      if (v !== 0) {
        indices.push(j);
        data.push(v);
      }
    });
    indptr.push(indices.length);
  }
  const p = new Pickler();
  p.global('copy_reg', '_reconstructor');
  p.tuple([() => p.global('scipy.sparse.csr', 'csr_matrix'), () => p.global('__builtin__', 'object'), () => p.op(0x4e)]).op(0x52);
  p.op(0x7d, 0x28);
  p.str('_shape').tuple([() => p.int(rows.length), () => p.int(cols)]);
  p.str('indptr');
  ndarray(p, [indptr.length], 'i4', indptr);
  p.str('indices');
  ndarray(p, [indices.length], 'i4', indices);
  p.str('data');
  ndarray(p, [data.length], 'f4', data);
  p.str('format').str('csr');
  p.str('maxprint').int(50);
  p.op(0x75, 0x62);
  return p.done();
}

/** A collections.defaultdict(list) of neighbour lists. */
export function pickleGraph(adj: Map<number, number[]>): Uint8Array {
  const p = new Pickler();
  p.global('collections', 'defaultdict').global('__builtin__', 'list').op(0x85, 0x52);
  p.op(0x28);
  for (const [k, ns] of adj) {
    p.int(k).op(0x5d, 0x28);
    for (const n of ns) p.int(n);
    p.op(0x65);
  }
  p.op(0x75);
  return p.done();
}

export interface SmallPlanetoid {
  files: Record<string, Uint8Array>;
  numNodes: number;
  numFeatures: number;
  numClasses: number;
}

/**
 * A Planetoid data set of `nAll + testRange` nodes: `nTrain` labelled training rows, allx/ally for
 * the first nAll nodes, tx/ty for the test nodes listed in test.index (shuffled; with `gaps`, two
 * nodes of the test range are left out, as CiteSeer's isolated nodes).
 */
export function smallPlanetoid(name: string, opts: { nAll?: number; nTrain?: number; nTest?: number; features?: number; classes?: number; gaps?: boolean } = {}): SmallPlanetoid {
  const nAll = opts.nAll ?? 16, nTrain = opts.nTrain ?? 6, nTest = opts.nTest ?? 8, F = opts.features ?? 7, C = opts.classes ?? 3;
  const range = nTest + (opts.gaps ? 2 : 0);
  const N = nAll + range;
  const feat = (i: number) => Array.from({ length: F }, (_, j) => ((i * 3 + j * 5) % 4 === 0 ? 1 : 0));
  const onehot = (i: number) => Array.from({ length: C }, (_, c) => ((i * 7) % C === c ? 1 : 0));
  let testNodes = Array.from({ length: range }, (_, k) => nAll + k);
  if (opts.gaps) testNodes = testNodes.filter((_, k) => k !== 2 && k !== 5);
  const testIndex = testNodes.map((_, k) => testNodes[(k * 5) % testNodes.length]!); // a fixed shuffle
  const adj = new Map<number, number[]>();
  for (let i = 0; i < N; i++) adj.set(i, [(i + 1) % N, (i * 7 + 3) % N, i]); // includes self loops (dropped)
  const all = Array.from({ length: nAll }, (_, i) => i);
  const files: Record<string, Uint8Array> = {
    [`ind.${name}.x`]: pickleCsr(all.slice(0, nTrain).map(feat)),
    [`ind.${name}.allx`]: pickleCsr(all.map(feat)),
    [`ind.${name}.tx`]: pickleCsr(testIndex.map(feat)),
    [`ind.${name}.y`]: pickleNdarray([nTrain, C], 'f8', all.slice(0, nTrain).flatMap(onehot)),
    [`ind.${name}.ally`]: pickleNdarray([nAll, C], 'f8', all.flatMap(onehot)),
    [`ind.${name}.ty`]: pickleNdarray([testIndex.length, C], 'i8', testIndex.flatMap(onehot)),
    [`ind.${name}.graph`]: pickleGraph(adj),
    [`ind.${name}.test.index`]: new TextEncoder().encode(testIndex.join('\n') + '\n'),
  };
  return { files, numNodes: N, numFeatures: F, numClasses: C };
}
