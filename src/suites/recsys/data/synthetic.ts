/**
 * Criteo-shaped synthetic data from a known model, streamed at any size.
 *
 * Each row has 13 integer fields (log-normal counts, some missing) and 26 categorical fields
 * (8-hex-digit hashes of Zipf-like ids, some missing), tokenised exactly as real Criteo rows.
 * The click probability is sigmoid of a known logit over the tokens:
 *   bias + Σ_f w(f) + Σ_{f<g} <v(f), v(g)>              (first order + FM pairwise)
 *        + Σ_j a_j · Π_{f∈S_j} z_j(f)                     (higher order: products over field triples)
 * where every parameter of a (field, token) is drawn from a seed-derived stream, so the model
 * is fixed by the seed without storing it. Rows are generated in blocks of 4096, each from its
 * own `fork('block:i')` stream, so any range of rows is reproducible on its own.
 */
import { Rng } from '../../../engine/rng';
import { convertNumericFeature, NUM_CAT_FIELDS, NUM_FIELDS, NUM_INT_FIELDS, type CriteoRecord } from './format';

export interface SyntheticOptions {
  seed?: number;
  /** latent size of the pairwise term */
  latentDim?: number;
  /** multiplies every categorical cardinality (default 1: 10 … 3,000 ids per field) */
  cardinalityScale?: number;
  /** number of higher-order product terms and their order */
  numHigher?: number;
  higherOrder?: number;
  bias?: number;
}

const BLOCK = 4096;

function hash32(...xs: (number | string)[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    const s = String(x);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0xff;
    h = Math.imul(h, 0x01000193);
  }
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return (h ^ (h >>> 13)) >>> 0;
}

interface TokenParams { w: number; v: Float32Array; z: Float32Array }

export interface SyntheticRow extends CriteoRecord {
  /** the raw TSV line */
  line: string;
  /** the true click probability */
  prob: number;
}

export class SyntheticCriteo {
  readonly seed: number;
  readonly k: number;
  readonly cards: number[];
  readonly missing: number[];
  readonly intMu: number[];
  readonly intSd: number[];
  readonly higherFields: number[][];
  readonly higherWeight: number[];
  readonly bias: number;
  private params: Map<string, TokenParams>[] = Array.from({ length: NUM_FIELDS }, () => new Map());
  private readonly s1 = 0.3;
  private readonly s2: number;

  constructor(opts: SyntheticOptions = {}) {
    this.seed = opts.seed ?? 0;
    this.k = opts.latentDim ?? 4;
    const rng = new Rng(this.seed).fork('synthetic-criteo-structure');
    const scale = opts.cardinalityScale ?? 1;
    this.cards = Array.from({ length: NUM_CAT_FIELDS }, () => Math.max(2, Math.round(scale * 10 * 300 ** rng.next())));
    this.missing = Array.from({ length: NUM_FIELDS }, () => (rng.next() < 0.5 ? 0 : 0.4 * rng.next()));
    this.intMu = Array.from({ length: NUM_INT_FIELDS }, () => 0.5 + 3 * rng.next());
    this.intSd = Array.from({ length: NUM_INT_FIELDS }, () => 0.5 + 1.5 * rng.next());
    const H = opts.numHigher ?? 8;
    const order = opts.higherOrder ?? 3;
    this.higherFields = Array.from({ length: H }, () => Array.from(rng.permutation(NUM_FIELDS).subarray(0, order)));
    this.higherWeight = Array.from({ length: H }, () => (rng.next() < 0.5 ? -1 : 1) * (0.3 + 0.2 * rng.next()));
    this.bias = opts.bias ?? -1.6;
    // pairwise variance ≈ pairs · k · s2⁴ ≈ 1
    const pairs = (NUM_FIELDS * (NUM_FIELDS - 1)) / 2;
    this.s2 = (1 / (pairs * this.k)) ** 0.25;
  }

  private tokenParams(f: number, token: string): TokenParams {
    const m = this.params[f]!;
    let p = m.get(token);
    if (!p) {
      const r = new Rng(hash32(this.seed, f, token));
      p = { w: this.s1 * r.normal(), v: r.normalArray(this.k, 0, this.s2), z: r.normalArray(this.higherFields.length) };
      m.set(token, p);
    }
    return p;
  }

  /** The true logit of a row's tokens. */
  logit(tokens: string[]): number {
    let s = this.bias;
    const k = this.k;
    const sum = new Float64Array(k);
    let sq = 0;
    const ps: TokenParams[] = new Array(NUM_FIELDS);
    for (let f = 0; f < NUM_FIELDS; f++) {
      const p = this.tokenParams(f, tokens[f]!);
      ps[f] = p;
      s += p.w;
      for (let d = 0; d < k; d++) {
        sum[d] += p.v[d]!;
        sq += p.v[d]! * p.v[d]!;
      }
    }
    let ss = 0;
    for (let d = 0; d < k; d++) ss += sum[d]! * sum[d]!;
    s += 0.5 * (ss - sq);
    for (let j = 0; j < this.higherFields.length; j++) {
      let prod = this.higherWeight[j]!;
      for (const f of this.higherFields[j]!) prod *= ps[f]!.z[j]!;
      s += prod;
    }
    return s;
  }

  /** Rows [start, start+count), in order; any range is reproducible on its own. */
  *rows(start: number, count: number): Generator<SyntheticRow> {
    const end = start + count;
    for (let b = Math.floor(start / BLOCK); b * BLOCK < end; b++) {
      const rng = new Rng(this.seed).fork(`block:${b}`);
      for (let i = b * BLOCK; i < (b + 1) * BLOCK && i < end; i++) {
        const row = this.makeRow(rng);
        if (i >= start) yield row;
      }
    }
  }

  private makeRow(rng: Rng): SyntheticRow {
    const cols = new Array<string>(NUM_FIELDS);
    const tokens = new Array<string>(NUM_FIELDS);
    for (let f = 0; f < NUM_INT_FIELDS; f++) {
      const z = rng.normal();
      const miss = rng.next() < this.missing[f]!;
      const raw = miss ? '' : String(Math.floor(Math.exp(this.intMu[f]! + this.intSd[f]! * z)) - 1);
      cols[f] = raw;
      tokens[f] = convertNumericFeature(raw);
    }
    for (let c = 0; c < NUM_CAT_FIELDS; c++) {
      const f = NUM_INT_FIELDS + c;
      const u = rng.next();
      const miss = rng.next() < this.missing[f]!;
      const id = Math.floor(this.cards[c]! * u ** 4); // Zipf-like: a heavy head, a long rare tail
      const raw = miss ? '' : hash32(this.seed, 'cat', c, id).toString(16).padStart(8, '0');
      cols[f] = raw;
      tokens[f] = raw;
    }
    const prob = 1 / (1 + Math.exp(-this.logit(tokens)));
    const label: 0 | 1 = rng.next() < prob ? 1 : 0;
    return { label, tokens, prob, line: `${label}\t${cols.join('\t')}` };
  }
}
