/**
 * A graph as an edge list plus the normalisations the convolutions use, each computed once and
 * cached (what PyG's `cached=True` does). Edges go src → dst; aggregation is at dst.
 */
import type { EdgeList } from '../../../engine/ops/propagate';

export class Graph implements EdgeList {
  private cache = new Map<string, unknown>();
  constructor(readonly numNodes: number, readonly src: Int32Array, readonly dst: Int32Array) {
    if (src.length !== dst.length) throw new Error(`Graph: ${src.length} sources but ${dst.length} targets`);
    for (let e = 0; e < src.length; e++) {
      if (src[e]! < 0 || src[e]! >= numNodes || dst[e]! < 0 || dst[e]! >= numNodes) {
        throw new Error(`Graph: edge ${e} (${src[e]} → ${dst[e]}) is outside the ${numNodes} nodes`);
      }
    }
  }

  get numEdges(): number {
    return this.src.length;
  }

  private memo<T>(key: string, f: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, f());
    return this.cache.get(key) as T;
  }

  /** Number of edges arriving at each node. */
  inDegree(): Float32Array {
    return this.memo('indeg', () => {
      const d = new Float32Array(this.numNodes);
      for (let e = 0; e < this.dst.length; e++) d[this.dst[e]!]! += 1;
      return d;
    });
  }

  /** This graph with one self loop per node appended (existing self loops removed first). */
  withSelfLoops(): Graph {
    return this.memo('loops', () => {
      let m = 0;
      for (let e = 0; e < this.src.length; e++) if (this.src[e] !== this.dst[e]) m++;
      const s = new Int32Array(m + this.numNodes), d = new Int32Array(m + this.numNodes);
      let k = 0;
      for (let e = 0; e < this.src.length; e++) if (this.src[e] !== this.dst[e]) (s[k] = this.src[e]!), (d[k++] = this.dst[e]!);
      for (let i = 0; i < this.numNodes; i++) (s[k] = i), (d[k++] = i);
      return new Graph(this.numNodes, s, d);
    });
  }

  /** GCN: Â = D^-1/2 (A + I) D^-1/2, as the self-looped graph and its per-edge weights. */
  gcnNorm(): { graph: Graph; weight: Float32Array } {
    return this.memo('gcn', () => {
      const g = this.withSelfLoops();
      const deg = g.inDegree();
      const w = new Float32Array(g.numEdges);
      for (let e = 0; e < g.numEdges; e++) w[e] = 1 / Math.sqrt(deg[g.src[e]!]! * deg[g.dst[e]!]!);
      return { graph: g, weight: w };
    });
  }

  /**
   * ChebConv's scaled Laplacian with 'sym' normalisation and lambda_max = 2:
   * L̂ = 2L/λ − I = −D^-1/2 A D^-1/2 (the self-loop terms cancel to 0). Isolated nodes: 0.
   */
  chebNorm(): Float32Array {
    return this.memo('cheb', () => {
      const deg = new Float32Array(this.numNodes);
      for (let e = 0; e < this.numEdges; e++) if (this.src[e] !== this.dst[e]) deg[this.src[e]!]! += 1;
      const w = new Float32Array(this.numEdges);
      for (let e = 0; e < this.numEdges; e++) {
        const a = deg[this.src[e]!]!, b = deg[this.dst[e]!]!;
        w[e] = this.src[e] === this.dst[e] || a === 0 || b === 0 ? 0 : -1 / Math.sqrt(a * b);
      }
      return w;
    });
  }

  /** PyG's TargetIndegree pseudo-coordinate: u[e] = indeg(dst[e]) / max indeg, in [0, 1]. */
  targetIndegree(): Float32Array {
    return this.memo('tindeg', () => {
      const deg = this.inDegree();
      let mx = 0;
      for (const d of deg) mx = Math.max(mx, d);
      const u = new Float32Array(this.numEdges);
      for (let e = 0; e < this.numEdges; e++) u[e] = mx > 0 ? deg[this.dst[e]!]! / mx : 0;
      return u;
    });
  }
}
