/**
 * The converted Planetoid arrays in ../shared/data/<name>/ (format in that folder's README.md):
 * little-endian int32 / float32 / uint8 files without header. Used as the loader's test oracle;
 * the loader itself reads the raw pickles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphData } from './planetoid';

function bytes(p: string): ArrayBuffer {
  const b = readFileSync(p);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

export function loadConvertedPlanetoid(dir: string): GraphData {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { name: string; numNodes: number; numFeatures: number; numClasses: number; numEdges: number };
  if (!existsSync(join(dir, 'x.indptr.i32'))) throw new Error(`${dir}: no x.indptr.i32 (features incomplete)`);
  const N = meta.numNodes;
  const ei = new Int32Array(bytes(join(dir, 'edge_index.i32')));
  const E = ei.length / 2;
  return {
    name: meta.name, numNodes: N, numFeatures: meta.numFeatures, numClasses: meta.numClasses,
    x: {
      numRows: N, numCols: meta.numFeatures,
      indptr: new Int32Array(bytes(join(dir, 'x.indptr.i32'))),
      indices: new Int32Array(bytes(join(dir, 'x.indices.i32'))),
      data: new Float32Array(bytes(join(dir, 'x.data.f32'))),
    },
    y: new Int32Array(bytes(join(dir, 'y.i32'))),
    src: ei.slice(0, E), dst: ei.slice(E),
    trainMask: new Uint8Array(bytes(join(dir, 'train_mask.u8'))),
    valMask: new Uint8Array(bytes(join(dir, 'val_mask.u8'))),
    testMask: new Uint8Array(bytes(join(dir, 'test_mask.u8'))),
  };
}
