/**
 * DNAConv (Fey 2019, "Just jump: dynamic neighborhood aggregation"), as PyG 1.x: each node
 * attends over the layer history of its neighbours.
 *   x: [N, L, C] (the L representations so far); edges with self loops and GCN weights ŵ;
 *   message j → i = ŵ_ji · MultiHead(q = x_i[L−1], k = v = x_j[0..L−1]);  out_i = Σ_j message.
 * MultiHead: grouped linear projections (groups g: block-diagonal C×C) of q, k, v, H heads of
 * C/H channels, softmax over the L history entries of (q·k)/sqrt(C/H), dropout on the weights.
 * The projections act per row, so they are applied per node (not per edge); the per-edge
 * attention is one fused tape op (`historyAttention`) with a hand-written backward.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../../engine/rng';
import { dropoutMask } from '../../../engine/ops/dropout';
import type { EdgeList } from '../../../engine/ops/propagate';
import { customOp } from '../../../feedback/tape';
import { dropoutKey } from '../../../nn/dropout';
import { initBias, initWeights } from '../../../nn/init';
import type { Graph } from './graph';
import { param } from './param';

/** PyG's grouped Linear: weight [g, in/g, out/g], bias [out]; kaiming-uniform(a=√5) init. */
export class GroupedLinear {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  constructor(rng: Rng, readonly inChannels: number, readonly outChannels: number, readonly groups: number) {
    if (inChannels % groups || outChannels % groups) throw new Error(`GroupedLinear: ${inChannels}→${outChannels} does not split into ${groups} groups`);
    const fan = inChannels / groups; // U(±1/sqrt(fan)): the core 'torch' init with that fan-in
    this.weight = param(initWeights('torch', rng, inChannels, outChannels / groups, fan), [groups, fan, outChannels / groups]);
    this.bias = param(initBias('torch', rng, fan, outChannels), [outChannels]);
  }
  params(): tf.Variable[] {
    return [this.weight, this.bias];
  }
  /** x [..., in] → [..., out] */
  forward(x: tf.Tensor): tf.Tensor {
    const lead = x.shape.slice(0, -1);
    const g = this.groups, fi = this.inChannels / g;
    const xg = tf.transpose(tf.reshape(x, [-1, g, fi]), [1, 0, 2]) as tf.Tensor3D; // [g, M, fi]
    const y = tf.transpose(tf.matMul(xg, this.weight as unknown as tf.Tensor3D), [1, 0, 2]); // [M, g, fo]
    return tf.add(tf.reshape(y, [...lead, this.outChannels]), this.bias);
  }
}

function f32(t: tf.Tensor): Float32Array {
  const d = t.dataSync();
  return d instanceof Float32Array ? d : Float32Array.from(d as ArrayLike<number>);
}

/**
 * out[dst] += w_e · Σ_l α_{e,h,l} V[l, src, h, :], α = softmax_l(<Q[dst, h], K[l, src, h]> / √c)
 * (then dropout p on α while training: the core's counter-based mask, keyed from `rng`). Q [N, C];
 * K and V [L·N, C], layer-major (entry l of node i is row l·N + i), so the history grows by
 * concatenating along axis 0 (contiguous). JS loops on every backend (a fused tape op with a
 * hand-written backward; native formulations measured no faster).
 */
export function historyAttention(Q: tf.Tensor, K: tf.Tensor, V: tf.Tensor, g: EdgeList, w: Float32Array, heads: number, dropout = 0, rng: Rng | null = null): tf.Tensor {
  const [N, C] = Q.shape as [number, number];
  const L = K.shape[0]! / N;
  if (!Number.isInteger(L) || K.shape[1] !== C || V.shape.join() !== K.shape.join()) throw new Error(`historyAttention: Q [${Q.shape}], K [${K.shape}], V [${V.shape}] do not fit`);
  const c = C / heads, E = g.src.length;
  const scale = 1 / Math.sqrt(c);
  let alpha: Float32Array;
  const mask = dropout > 0 && rng ? dropoutMask(E * heads * L, dropout, dropoutKey(rng)) : null;
  return customOp(
    { Q, K, V },
    (save) => {
      save([Q, K, V]);
      const q = f32(Q), k = f32(K), v = f32(V);
      const out = new Float32Array(N * C);
      alpha = new Float32Array(E * heads * L);
      const sc = new Float64Array(L);
      for (let e = 0; e < E; e++) {
        const s = g.src[e]!, t = g.dst[e]!, we = w[e]!;
        for (let h = 0; h < heads; h++) {
          const qo = t * C + h * c;
          let mx = -Infinity;
          for (let l = 0; l < L; l++) {
            const ko = (l * N + s) * C + h * c;
            let a = 0;
            for (let j = 0; j < c; j++) a += q[qo + j]! * k[ko + j]!;
            sc[l] = a * scale;
            if (sc[l]! > mx) mx = sc[l]!;
          }
          let z = 0;
          for (let l = 0; l < L; l++) z += sc[l] = Math.exp(sc[l]! - mx);
          const ao = (e * heads + h) * L, oo = t * C + h * c;
          for (let l = 0; l < L; l++) {
            const a = sc[l]! / z;
            alpha[ao + l] = a;
            const am = (mask ? a * mask[ao + l]! : a) * we;
            if (am === 0) continue;
            const vo = (l * N + s) * C + h * c;
            for (let j = 0; j < c; j++) out[oo + j] += am * v[vo + j]!;
          }
        }
      }
      return tf.tensor(out, [N, C]);
    },
    (dy, saved) => {
      const [Qs, Ks, Vs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      let cache: { dQ: Float32Array; dK: Float32Array; dV: Float32Array } | null = null;
      const all = () => {
        if (cache) return cache;
        const q = f32(Qs), k = f32(Ks), v = f32(Vs), d = f32(dy);
        const dQ = new Float32Array(N * C), dK = new Float32Array(L * N * C), dV = new Float32Array(L * N * C);
        const da = new Float64Array(L);
        for (let e = 0; e < E; e++) {
          const s = g.src[e]!, t = g.dst[e]!, we = w[e]!;
          for (let h = 0; h < heads; h++) {
            const ao = (e * heads + h) * L, oo = t * C + h * c, qo = t * C + h * c;
            let dot = 0;
            for (let l = 0; l < L; l++) {
              const vo = (l * N + s) * C + h * c;
              const m = mask ? mask[ao + l]! : 1;
              const am = alpha[ao + l]! * m * we;
              let acc = 0;
              for (let j = 0; j < c; j++) {
                acc += d[oo + j]! * v[vo + j]!;
                dV[vo + j] += am * d[oo + j]!;
              }
              da[l] = acc * we * m; // dL/dα
              dot += alpha[ao + l]! * da[l]!;
            }
            for (let l = 0; l < L; l++) {
              const ds = alpha[ao + l]! * (da[l]! - dot) * scale;
              if (ds === 0) continue;
              const ko = (l * N + s) * C + h * c;
              for (let j = 0; j < c; j++) {
                dQ[qo + j] += ds * k[ko + j]!;
                dK[ko + j] += ds * q[qo + j]!;
              }
            }
          }
        }
        return (cache = { dQ, dK, dV });
      };
      return {
        Q: () => tf.tensor(all().dQ, [N, C]),
        K: () => tf.tensor(all().dK, [L * N, C]),
        V: () => tf.tensor(all().dV, [L * N, C]),
      };
    },
  );
}

export class DNAConv {
  readonly linQ: GroupedLinear;
  readonly linK: GroupedLinear;
  readonly linV: GroupedLinear;
  constructor(rng: Rng, readonly channels: number, readonly heads = 1, readonly groups = 1, readonly dropout = 0) {
    if (channels % heads) throw new Error(`DNAConv: ${channels} channels do not split into ${heads} heads`);
    this.linQ = new GroupedLinear(rng, channels, channels, groups);
    this.linK = new GroupedLinear(rng, channels, channels, groups);
    this.linV = new GroupedLinear(rng, channels, channels, groups);
  }
  params(): tf.Variable[] {
    return [...this.linQ.params(), ...this.linK.params(), ...this.linV.params()];
  }
  /** history: L tensors [N, C], oldest first → [N, C]. `rng`: training (attention dropout); null: evaluation. */
  forward(history: tf.Tensor[], g: Graph, rng: Rng | null): tf.Tensor {
    if (!history.length) throw new Error('DNAConv: empty history');
    const all = history.length === 1 ? history[0]! : tf.concat(history, 0);
    const { graph, weight } = g.gcnNorm();
    return historyAttention(this.linQ.forward(history[history.length - 1]!), this.linK.forward(all), this.linV.forward(all), graph, weight, this.heads, this.dropout, rng);
  }
}
