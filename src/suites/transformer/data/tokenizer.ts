/**
 * What a language model needs from a tokenizer, plus saving/loading either kind to one JSON file.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ByteLevelBPE } from './bpe';
import { CharTokenizer } from './char_tokenizer';

export interface Tokenizer {
  readonly kind: string;
  readonly vocabSize: number;
  encode(text: string): Int32Array;
  decode(ids: ArrayLike<number>): string;
  toJSON(): unknown;
}

export type TokenizerKind = 'bpe' | 'char';

/** Train a tokenizer of `kind` on the training text. `vocabSize` applies to BPE only. */
export function trainTokenizer(kind: TokenizerKind, text: string, vocabSize = 1024): Tokenizer {
  if (kind === 'bpe') return ByteLevelBPE.train(text, { vocabSize });
  if (kind === 'char') return CharTokenizer.train(text);
  throw new Error(`unknown tokenizer '${kind as string}' (use bpe or char)`);
}

export function tokenizerFromJSON(j: unknown): Tokenizer {
  const o = j as { type?: string; version?: number; merges?: unknown; chars?: unknown };
  if (o?.type === 'bpe') {
    if (!Array.isArray(o.merges)) throw new Error('tokenizer JSON: bpe needs a merges array');
    const bad = o.merges.findIndex((m) => !Array.isArray(m) || m.length !== 2 || !m.every((x) => Number.isInteger(x)));
    if (bad >= 0) throw new Error(`tokenizer JSON: merge ${bad} is ${JSON.stringify(o.merges[bad])?.slice(0, 40)}, not a pair of token ids`);
    return new ByteLevelBPE(o.merges as Array<[number, number]>);
  }
  if (o?.type === 'char') {
    if (!Array.isArray(o.chars)) throw new Error('tokenizer JSON: char needs a chars array');
    const bad = o.chars.findIndex((c) => typeof c !== 'string');
    if (bad >= 0) throw new Error(`tokenizer JSON: chars[${bad}] is ${JSON.stringify(o.chars[bad])?.slice(0, 40)}, not a string`);
    return new CharTokenizer(o.chars as string[]);
  }
  throw new Error(`tokenizer JSON: unknown type '${String(o?.type)}' (expected bpe or char)`);
}

export function saveTokenizer(tok: Tokenizer, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(tok.toJSON()) + '\n');
}

export function loadTokenizer(file: string): Tokenizer {
  let j: unknown;
  try {
    j = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read tokenizer ${file}: ${(e as Error).message}`);
  }
  try {
    return tokenizerFromJSON(j);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}
