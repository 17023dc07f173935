/**
 * Byte-level byte-pair encoding (Sennrich et al. 2016; byte-level as in GPT-2), trained by us on
 * the training text. Tokens 0..255 are the raw bytes, token 256+i is merge i, so every byte
 * sequence is encodable and `decodeBytes(encodeBytes(b))` is byte-for-byte `b` (strings: any
 * well-formed string round-trips exactly).
 *
 * Pre-tokenisation works on bytes (no regex over strings): a piece is an optional single space
 * followed by a run of letters (bytes >= 0x80 count as letters, so UTF-8 characters stay whole),
 * or of digits, or of other punctuation; runs of whitespace are their own pieces. Merges never
 * cross pieces, as in GPT-2.
 *
 * Training is fast on megabytes of text: unique pieces are counted once, pair counts are kept
 * in a map and updated incrementally for only the pieces that contain the merged pair (an
 * index pair -> pieces), and the best pair comes from a max-heap with lazy invalidation.
 */
import type { Tokenizer } from './tokenizer';

const enum Cls { Letter, Digit, Space, Other }

function byteClass(b: number): Cls {
  if ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b >= 0x80) return Cls.Letter;
  if (b >= 0x30 && b <= 0x39) return Cls.Digit;
  if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c) return Cls.Space;
  return Cls.Other;
}

/** Split bytes into pre-tokenisation pieces: [start, end) pairs covering every byte in order. */
export function pretokenize(bytes: Uint8Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = byteClass(bytes[i]!);
    let j = i;
    while (j < n && byteClass(bytes[j]!) === c) j++;
    if (c === Cls.Space && j < n && bytes[j - 1] === 0x20) {
      // the run's last byte is a plain space before a word: it starts that word's piece
      if (j - 1 > i) out.push([i, j - 1]);
      const s = j - 1;
      const c2 = byteClass(bytes[j]!);
      while (j < n && byteClass(bytes[j]!) === c2) j++;
      out.push([s, j]);
    } else {
      out.push([i, j]);
    }
    i = j;
  }
  return out;
}

// ---- a max-heap of (count, pair key), ties to the smaller key, entries checked lazily ----
class PairHeap {
  private c: number[] = [];
  private k: number[] = [];
  get size(): number { return this.c.length; }
  private better(i: number, j: number): boolean {
    return this.c[i]! > this.c[j]! || (this.c[i] === this.c[j] && this.k[i]! < this.k[j]!);
  }
  private swap(i: number, j: number): void {
    const tc = this.c[i]!; this.c[i] = this.c[j]!; this.c[j] = tc;
    const tk = this.k[i]!; this.k[i] = this.k[j]!; this.k[j] = tk;
  }
  push(count: number, key: number): void {
    this.c.push(count); this.k.push(key);
    let i = this.c.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.better(i, p)) break;
      this.swap(i, p); i = p;
    }
  }
  pop(): [number, number] {
    const top: [number, number] = [this.c[0]!, this.k[0]!];
    const lc = this.c.pop()!, lk = this.k.pop()!;
    if (this.c.length) {
      this.c[0] = lc; this.k[0] = lk;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < this.c.length && this.better(l, m)) m = l;
        if (r < this.c.length && this.better(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m); i = m;
      }
    }
    return top;
  }
}

/** The longest token a merge list may make (real tokens are words: tens of bytes). */
const MAX_TOKEN_BYTES = 1 << 16;
const KEY = 1 << 20; // pair key = a * KEY + b (ids < 2^20, keys < 2^40: exact in a double)

export interface BpeTrainOptions {
  vocabSize: number; // 256 byte tokens + merges
  minFrequency?: number; // stop when the best pair occurs fewer times (default 2)
  onProgress?: (merges: number, total: number) => void;
}

export class ByteLevelBPE implements Tokenizer {
  readonly kind = 'bpe';
  /** merges[i] = [a, b] makes token 256 + i. */
  readonly merges: Array<[number, number]>;
  private readonly rank = new Map<number, number>(); // pair key -> merge index
  private readonly tokenBytes: Uint8Array[];
  private readonly cache = new Map<string, Int32Array>();

  constructor(merges: Array<[number, number]>) {
    this.merges = merges;
    if (256 + merges.length > KEY) throw new Error(`BPE: ${merges.length} merges; at most ${KEY - 256}`);
    this.tokenBytes = [];
    for (let b = 0; b < 256; b++) this.tokenBytes.push(Uint8Array.of(b));
    merges.forEach(([a, b], i) => {
      const id = 256 + i;
      if (!(a >= 0 && a < id && b >= 0 && b < id) || !Number.isInteger(a) || !Number.isInteger(b)) {
        throw new Error(`BPE: merge ${i} = [${a}, ${b}] refers to a token that does not exist yet`);
      }
      this.rank.set(a * KEY + b, i);
      const ta = this.tokenBytes[a]!, tb = this.tokenBytes[b]!;
      // merges of merges double a token's length: a damaged list could ask for 2^k bytes
      if (ta.length + tb.length > MAX_TOKEN_BYTES) throw new Error(`BPE: merge ${i} = [${a}, ${b}] makes a token of ${ta.length + tb.length} bytes (at most ${MAX_TOKEN_BYTES})`);
      const t = new Uint8Array(ta.length + tb.length);
      t.set(ta); t.set(tb, ta.length);
      this.tokenBytes.push(t);
    });
  }

  get vocabSize(): number {
    return 256 + this.merges.length;
  }

  /** Learn merges from `text` until the vocabulary has `vocabSize` tokens (or pairs run out). */
  static train(text: string | Uint8Array, opts: BpeTrainOptions): ByteLevelBPE {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    if (!Number.isInteger(opts.vocabSize) || opts.vocabSize < 256) throw new Error(`BPE: vocabSize must be an integer >= 256, got ${opts.vocabSize}`);
    if (opts.vocabSize >= KEY) throw new Error(`BPE: vocabSize must be < ${KEY}`);
    const minFreq = opts.minFrequency ?? 2;
    // unique pieces with their frequencies
    const freqOf = new Map<string, number>();
    const dec = new TextDecoder('latin1');
    for (const [s, e] of pretokenize(bytes)) {
      const key = dec.decode(bytes.subarray(s, e));
      freqOf.set(key, (freqOf.get(key) ?? 0) + 1);
    }
    const words: number[][] = [];
    const freqs: number[] = [];
    for (const [k, f] of freqOf) {
      const w = new Array<number>(k.length);
      for (let i = 0; i < k.length; i++) w[i] = k.charCodeAt(i);
      words.push(w);
      freqs.push(f);
    }
    const counts = new Map<number, number>();
    const where = new Map<number, Set<number>>();
    const add = (key: number, f: number, wi: number) => {
      counts.set(key, (counts.get(key) ?? 0) + f);
      let s = where.get(key);
      if (!s) where.set(key, (s = new Set()));
      s.add(wi);
    };
    words.forEach((w, wi) => {
      for (let i = 0; i + 1 < w.length; i++) add(w[i]! * KEY + w[i + 1]!, freqs[wi]!, wi);
    });
    const heap = new PairHeap();
    for (const [k, c] of counts) heap.push(c, k);
    const merges: Array<[number, number]> = [];
    const total = opts.vocabSize - 256;
    while (merges.length < total && heap.size) {
      const [c, key] = heap.pop();
      if (counts.get(key) !== c) continue; // stale entry
      if (c < minFreq) break;
      const a = Math.floor(key / KEY), b = key % KEY;
      const id = 256 + merges.length;
      merges.push([a, b]);
      const changed = new Set<number>();
      for (const wi of where.get(key) ?? []) {
        const w = words[wi]!, f = freqs[wi]!;
        let has = false;
        for (let i = 0; i + 1 < w.length; i++) if (w[i] === a && w[i + 1] === b) { has = true; break; }
        if (!has) continue;
        for (let i = 0; i + 1 < w.length; i++) {
          const k = w[i]! * KEY + w[i + 1]!;
          counts.set(k, counts.get(k)! - f);
          changed.add(k);
        }
        const nw: number[] = [];
        for (let i = 0; i < w.length; i++) {
          if (i + 1 < w.length && w[i] === a && w[i + 1] === b) { nw.push(id); i++; } else nw.push(w[i]!);
        }
        words[wi] = nw;
        for (let i = 0; i + 1 < nw.length; i++) {
          const k = nw[i]! * KEY + nw[i + 1]!;
          add(k, f, wi);
          changed.add(k);
        }
      }
      where.delete(key);
      counts.delete(key);
      for (const k of changed) {
        const n = counts.get(k);
        if (n === undefined) continue;
        if (n <= 0) { counts.delete(k); where.delete(k); } else heap.push(n, k);
      }
      if (opts.onProgress && merges.length % 256 === 0) opts.onProgress(merges.length, total);
    }
    return new ByteLevelBPE(merges);
  }

  /** Token ids of one pre-tokenised piece: repeatedly apply the lowest-ranked merge present. */
  private encodePiece(piece: Uint8Array): Int32Array {
    const key = new TextDecoder('latin1').decode(piece);
    const hit = this.cache.get(key);
    if (hit) return hit;
    let w: number[] = Array.from(piece);
    while (w.length > 1) {
      let best = -1, bestRank = Infinity;
      for (let i = 0; i + 1 < w.length; i++) {
        const r = this.rank.get(w[i]! * KEY + w[i + 1]!);
        if (r !== undefined && r < bestRank) { bestRank = r; best = i; }
      }
      if (best < 0) break;
      const [a, b] = this.merges[bestRank]!;
      const id = 256 + bestRank;
      const nw: number[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === a && w[i + 1] === b) { nw.push(id); i++; } else nw.push(w[i]!);
      }
      w = nw;
    }
    const out = Int32Array.from(w);
    if (this.cache.size < 200_000) this.cache.set(key, out);
    return out;
  }

  encodeBytes(bytes: Uint8Array): Int32Array {
    const parts: Int32Array[] = [];
    let n = 0;
    for (const [s, e] of pretokenize(bytes)) {
      const p = this.encodePiece(bytes.subarray(s, e));
      parts.push(p);
      n += p.length;
    }
    const out = new Int32Array(n);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }

  encode(text: string): Int32Array {
    return this.encodeBytes(new TextEncoder().encode(text));
  }

  decodeBytes(ids: ArrayLike<number>): Uint8Array {
    let n = 0;
    for (let i = 0; i < ids.length; i++) {
      const t = this.tokenBytes[ids[i]!];
      if (!t) throw new Error(`BPE: token id ${ids[i]} is outside the vocabulary (size ${this.vocabSize})`);
      n += t.length;
    }
    const out = new Uint8Array(n);
    let o = 0;
    for (let i = 0; i < ids.length; i++) { const t = this.tokenBytes[ids[i]!]!; out.set(t, o); o += t.length; }
    return out;
  }

  decode(ids: ArrayLike<number>): string {
    return new TextDecoder('utf-8').decode(this.decodeBytes(ids));
  }

  /** The bytes of one token (for printing vocabularies). */
  tokenToBytes(id: number): Uint8Array {
    const t = this.tokenBytes[id];
    if (!t) throw new Error(`BPE: token id ${id} is outside the vocabulary (size ${this.vocabSize})`);
    return t;
  }

  toJSON(): { type: 'bpe'; version: 1; merges: Array<[number, number]> } {
    return { type: 'bpe', version: 1, merges: this.merges };
  }
}
