/**
 * Character-level tokenizer: one token per Unicode code point seen in the training text (sorted),
 * plus token 0 for anything unseen (decoded as U+FFFD). Text made of seen characters round-trips
 * exactly.
 */
import type { Tokenizer } from './tokenizer';

export const UNK_CHAR = '\uFFFD';

export class CharTokenizer implements Tokenizer {
  readonly kind = 'char';
  private readonly index = new Map<string, number>();

  /** chars[i] is token i + 1; token 0 is the unknown character. */
  constructor(readonly chars: string[]) {
    chars.forEach((c, i) => {
      if (typeof c !== 'string' || [...c].length !== 1) throw new Error(`char tokenizer: entry ${i} '${c}' is not one character`);
      if (this.index.has(c)) throw new Error(`char tokenizer: '${c}' appears twice`);
      this.index.set(c, i + 1);
    });
  }

  static train(text: string): CharTokenizer {
    const set = new Set<string>();
    for (const c of text) set.add(c);
    return new CharTokenizer([...set].sort());
  }

  get vocabSize(): number {
    return this.chars.length + 1;
  }

  encode(text: string): Int32Array {
    const out: number[] = [];
    for (const c of text) out.push(this.index.get(c) ?? 0);
    return Int32Array.from(out);
  }

  decode(ids: ArrayLike<number>): string {
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!(id >= 0 && id <= this.chars.length)) throw new Error(`char tokenizer: id ${id} is outside the vocabulary (size ${this.vocabSize})`);
      s += id === 0 ? UNK_CHAR : this.chars[id - 1]!;
    }
    return s;
  }

  toJSON(): { type: 'char'; version: 1; chars: string[] } {
    return { type: 'char', version: 1, chars: this.chars };
  }
}
