/**
 * Per-field vocabularies as torchfm builds them: a token seen at least `minCount` times (10)
 * gets its own index, in order of first appearance; every rarer or unseen token shares the
 * out-of-vocabulary index `size` (= the number of kept tokens). A field's dimension is size + 1.
 */
import { NUM_FIELDS } from './format';
import { hex8, U32CountTable } from './count_table';

/**
 * Token counts per field. 8-hex-digit tokens (Criteo's hashed categoricals) are counted in a
 * compact uint32 table, anything else (integer buckets, the empty token, other data) in a Map.
 */
export class FieldCounter {
  readonly counts: Map<string, number>[] = Array.from({ length: NUM_FIELDS }, () => new Map());
  readonly hexCounts: U32CountTable[] = Array.from({ length: NUM_FIELDS }, () => new U32CountTable());

  add(tokens: string[]): void {
    for (let f = 0; f < NUM_FIELDS; f++) {
      const t = tokens[f]!;
      const k = hex8(t);
      if (k >= 0) {
        this.hexCounts[f]!.add(k);
        continue;
      }
      const m = this.counts[f]!;
      m.set(t, (m.get(t) ?? 0) + 1);
    }
  }

  /** (token, count) of field f: the Map's tokens first (first-appearance order), then the hex ones. */
  *entries(f: number): Generator<[string, number]> {
    yield* this.counts[f]!;
    for (const [k, n] of this.hexCounts[f]!.entries()) yield [k.toString(16).padStart(8, '0'), n];
  }
}

export class Vocabulary {
  /** token → index per field */
  readonly maps: Map<string, number>[];
  constructor(maps: Map<string, number>[]) {
    this.maps = maps;
  }

  static fromCounts(counter: FieldCounter, minCount = 10): Vocabulary {
    return new Vocabulary(Array.from({ length: NUM_FIELDS }, (_, f) => {
      const m = new Map<string, number>();
      for (const [tok, n] of counter.entries(f)) if (n >= minCount) m.set(tok, m.size);
      return m;
    }));
  }

  /** Number of indices per field, OOV included. */
  get fieldDims(): number[] {
    return this.maps.map((m) => m.size + 1);
  }

  index(field: number, token: string): number {
    const m = this.maps[field]!;
    return m.get(token) ?? m.size;
  }

  /** Writes label + 39 indices into `out` at `offset`. */
  encode(label: number, tokens: string[], out: Int32Array, offset: number): void {
    out[offset] = label;
    for (let f = 0; f < NUM_FIELDS; f++) out[offset + 1 + f] = this.index(f, tokens[f]!);
  }

  toJSON(): string[][] {
    return this.maps.map((m) => [...m.keys()]);
  }

  static fromJSON(tokens: string[][]): Vocabulary {
    return new Vocabulary(tokens.map((ts) => new Map(ts.map((t, i) => [t, i]))));
  }
}
