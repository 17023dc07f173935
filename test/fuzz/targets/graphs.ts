/** Planetoid raw files: the pickle reader on Cora's real pickles, and the whole loader on whole data sets. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../../../src/data/paths';
import { unpickle, type PyValue } from '../../../src/suites/graphs/data/pickle';
import { loadPlanetoidRaw, RAW_SUFFIXES, type GraphData } from '../../../src/suites/graphs/data/planetoid';
import type { FileSet, FuzzTarget } from '../harness';
import { smallPlanetoid } from '../pickle_writer';

const CORA_RAW = join(sharedDataDir(), 'cora/raw');
const cora = (): FileSet => Object.fromEntries(RAW_SUFFIXES.map((s) => [`ind.cora.${s}`, new Uint8Array(readFileSync(join(CORA_RAW, `ind.cora.${s}`)))]));

/** Each of Cora's seven pickles on its own through the pickle reader. */
export const planetoidPickle: FuzzTarget<PyValue> = {
  name: 'planetoid-pickle',
  seeds: Object.entries(cora()).filter(([f]) => !f.endsWith('test.index')).map(([f, b]) => ({ [f]: b })),
  load: (dir) => {
    const [file] = RAW_SUFFIXES.map((s) => `ind.cora.${s}`).filter((f) => {
      try {
        readFileSync(join(dir, f), { flag: 'r' });
        return true;
      } catch {
        return false;
      }
    });
    return unpickle(new Uint8Array(readFileSync(join(dir, file!))), join(dir, file!));
  },
};

function checkGraph(g: GraphData): void {
  const N = g.numNodes, F = g.numFeatures, C = g.numClasses;
  const { indptr, indices, data } = g.x;
  if (indptr.length !== N + 1 || indptr[0] !== 0 || indptr[N] !== indices.length || data.length !== indices.length) throw new Error('inconsistent feature CSR');
  for (let i = 0; i < N; i++) if (indptr[i + 1]! < indptr[i]!) throw new Error(`indptr decreases at row ${i}`);
  for (let k = 0; k < indices.length; k++) {
    if (!(indices[k]! >= 0 && indices[k]! < F)) throw new Error(`feature column ${indices[k]} outside [0, ${F})`);
    if (!Number.isFinite(data[k]!)) throw new Error(`feature value ${data[k]}`);
  }
  if (g.y.length !== N) throw new Error(`${g.y.length} labels for ${N} nodes`);
  for (const c of g.y) if (!(c >= 0 && c < C)) throw new Error(`label ${c} outside [0, ${C})`);
  if (g.src.length !== g.dst.length) throw new Error('edge lists differ in length');
  for (let e = 0; e < g.src.length; e++) if (!(g.src[e]! >= 0 && g.src[e]! < N && g.dst[e]! >= 0 && g.dst[e]! < N)) throw new Error(`edge (${g.src[e]}, ${g.dst[e]}) outside the ${N} nodes`);
  for (const m of [g.trainMask, g.valMask, g.testMask]) if (m.length !== N) throw new Error('mask length');
}

/** The loader on whole data sets, one file mutated: real Cora, and small generated ones (contiguous and CiteSeer-like test ranges). */
export const planetoid: FuzzTarget<GraphData> = {
  name: 'planetoid',
  seeds: [cora(), smallPlanetoid('cora').files, smallPlanetoid('cora', { gaps: true, nAll: 10, nTrain: 4, nTest: 6, features: 5, classes: 4 }).files],
  load: (dir) => loadPlanetoidRaw('cora', { dir }),
  check: checkGraph,
};
