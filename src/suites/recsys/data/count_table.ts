/**
 * Exact counts of uint32 keys in an open-addressing hash table of typed arrays (8 bytes per
 * slot, load ≤ 0.5). Criteo's full file has ~33M distinct 8-hex-digit categorical values; a JS
 * Map of strings would need several GB (and caps at 2^24 entries), this needs ~0.5 GB.
 */
export class U32CountTable {
  private keys: Uint32Array;
  private counts: Uint32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1024) {
    let c = 16;
    while (c < capacity * 2) c *= 2;
    this.keys = new Uint32Array(c);
    this.counts = new Uint32Array(c);
    this.mask = c - 1;
  }

  private slot(key: number): number {
    key >>>= 0;
    let h = Math.imul(key ^ (key >>> 16), 0x45d9f3b);
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    let i = (h ^ (h >>> 16)) & this.mask;
    while (this.counts[i] !== 0 && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  add(key: number, n = 1): void {
    key >>>= 0;
    let i = this.slot(key);
    if (this.counts[i] === 0) {
      if ((this.size + 1) * 2 > this.keys.length) {
        this.grow();
        i = this.slot(key);
      }
      this.keys[i] = key;
      this.size++;
    }
    this.counts[i] = this.counts[i]! + n;
  }

  get(key: number): number {
    return this.counts[this.slot(key)]!;
  }

  private grow(): void {
    const ok = this.keys, oc = this.counts;
    this.keys = new Uint32Array(ok.length * 2);
    this.counts = new Uint32Array(ok.length * 2);
    this.mask = this.keys.length - 1;
    for (let j = 0; j < ok.length; j++) {
      if (oc[j] === 0) continue;
      const i = this.slot(ok[j]!);
      this.keys[i] = ok[j]!;
      this.counts[i] = oc[j]!;
    }
  }

  /** (key, count) pairs, in slot order (deterministic for the same inserts). */
  *entries(): Generator<[number, number]> {
    for (let i = 0; i < this.keys.length; i++) if (this.counts[i] !== 0) yield [this.keys[i]!, this.counts[i]!];
  }
}

const HEX8 = /^[0-9a-f]{8}$/;

/** The uint32 of an 8-lowercase-hex-digit token, or -1. */
export function hex8(token: string): number {
  return token.length === 8 && HEX8.test(token) ? parseInt(token, 16) : -1;
}
