/**
 * Text corpora with train/valid/test splits, as raw text (the tokenizer is trained afterwards on
 * the train split):
 * - WikiText (Merity et al. 2016) folders: `wiki.{train,valid,test}.tokens` (the official
 *   names) or `{train,valid,test}.txt` (the pytorch/examples names). The shared copy has valid
 *   and test only; pass `dir` to use a full copy.
 * - any plain-text file (Tiny Shakespeare, ...), split into contiguous train/valid/test parts
 *   at line boundaries.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { dataPath } from '../../../data/paths';

export type Split = 'train' | 'valid' | 'test';
export const SPLITS: Split[] = ['train', 'valid', 'test'];

export interface TextSplits {
  name: string;
  train: string;
  valid: string;
  test: string;
}

function readText(file: string): string {
  const buf = readFileSync(file);
  if (buf.length === 0) throw new Error(`${file} is empty`);
  if (buf.includes(0)) throw new Error(`${file} contains NUL bytes: not a text file`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new Error(`${file} is not valid UTF-8 text`);
  }
}

/** The file of `split` inside a WikiText folder, or null when absent. */
export function wikiTextFile(dir: string, split: Split): string | null {
  for (const name of [`wiki.${split}.tokens`, `${split}.txt`, `wiki.${split}.raw`]) {
    const p = join(dir, name);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return null;
}

/**
 * Load one WikiText split. `dir` defaults to the shared `text/wikitext-2`. A missing split is an
 * error naming the files looked for (the shared copy has no train split).
 */
export function loadWikiTextSplit(split: Split, dir?: string): string {
  const root = dataPath('text/wikitext-2', dir);
  const f = wikiTextFile(root, split);
  if (!f) {
    throw new Error(
      `WikiText ${split} split not found in ${root} (looked for wiki.${split}.tokens, ${split}.txt, wiki.${split}.raw)` +
        (split === 'train' && !dir ? '; the shared copy has valid and test only: pass a folder holding a full WikiText copy' : ''),
    );
  }
  const text = readText(f);
  // WikiText files are article text with ' = Heading = ' lines; a check that catches a wrong file
  if (!/^ ?= .+ = ?$/m.test(text)) throw new Error(`${f} does not look like WikiText (no ' = Heading = ' line)`);
  return text;
}

export function loadWikiText(dir?: string): TextSplits {
  return { name: 'wikitext', train: loadWikiTextSplit('train', dir), valid: loadWikiTextSplit('valid', dir), test: loadWikiTextSplit('test', dir) };
}

/**
 * A plain-text corpus split into contiguous parts: the first (1 - valid - test) of the lines for
 * training, then validation, then test (as the char-rnn/nanoGPT convention for Tiny Shakespeare).
 */
export function loadTextCorpus(file: string, opts: { valid?: number; test?: number; name?: string } = {}): TextSplits {
  const valid = opts.valid ?? 0.05;
  const test = opts.test ?? 0.05;
  if (!(valid >= 0 && test >= 0 && valid + test < 1)) throw new Error(`text corpus: bad split fractions valid=${valid} test=${test}`);
  if (!existsSync(file)) throw new Error(`text corpus ${file} not found`);
  const text = readText(file);
  try {
    return { name: opts.name ?? file, ...splitText(text, valid, test) };
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

/** Cut at the line boundary nearest each fraction of the characters. */
export function splitText(text: string, valid: number, test: number): { train: string; valid: string; test: string } {
  const cut = (frac: number): number => {
    const at = Math.round(text.length * frac);
    const nl = text.indexOf('\n', at);
    return nl < 0 ? text.length : nl + 1;
  };
  const a = cut(1 - valid - test);
  const b = Math.max(a, cut(1 - test));
  const parts = { train: text.slice(0, a), valid: text.slice(a, b), test: text.slice(b) };
  for (const s of SPLITS) {
    if ((s === 'valid' && valid > 0) || (s === 'test' && test > 0) || s === 'train') {
      if (parts[s].length === 0) throw new Error(`text corpus too short: the ${s} split came out empty`);
    }
  }
  return parts;
}

/** Tiny Shakespeare (karpathy/char-rnn), 90/5/5 by default. `dir` may hold a user's input.txt. */
export function loadTinyShakespeare(dir?: string, opts: { valid?: number; test?: number } = {}): TextSplits {
  return loadTextCorpus(join(dataPath('text/tinyshakespeare', dir), 'input.txt'), { ...opts, name: 'tinyshakespeare' });
}

export const CORPORA = ['tinyshakespeare', 'wikitext', 'text'] as const;
export type CorpusKind = (typeof CORPORA)[number];

/**
 * A corpus by kind: Tiny Shakespeare (shared copy, or `data` holding input.txt), WikiText (`data`
 * a full copy) or a plain-text file (`data` the file, or a folder holding input.txt). `label`
 * names it in results.
 */
export function loadCorpus(kind: CorpusKind, data?: string): { splits: TextSplits; label: string } {
  if (kind === 'tinyshakespeare') return { splits: loadTinyShakespeare(data), label: 'tinyshakespeare' };
  if (kind === 'wikitext') return { splits: loadWikiText(data), label: 'wikitext' };
  if (!data) throw new Error('text corpus: give the file (--data FILE)');
  const file = statSync(data).isDirectory() ? join(data, 'input.txt') : data;
  return { splits: loadTextCorpus(file), label: file };
}
