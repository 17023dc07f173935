/** Text corpora (a plain-text file, a WikiText folder) and saved tokenizers (BPE and char). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDataDir } from '../../../src/data/paths';
import { ByteLevelBPE } from '../../../src/suites/transformer/data/bpe';
import { CharTokenizer } from '../../../src/suites/transformer/data/char_tokenizer';
import { loadTextCorpus, loadWikiText, type TextSplits } from '../../../src/suites/transformer/data/corpora';
import { loadTokenizer, type Tokenizer } from '../../../src/suites/transformer/data/tokenizer';
import type { FuzzTarget } from '../harness';

const enc = (s: string) => new TextEncoder().encode(s);
/** The first `n` bytes of a shared text file, cut at a line end. */
function headText(rel: string, n: number): string {
  const t = readFileSync(join(sharedDataDir(), rel), 'utf8').slice(0, n);
  return t.slice(0, t.lastIndexOf('\n') + 1);
}
const shakespeare = headText('text/tinyshakespeare/input.txt', 6000);
const wiki = headText('text/wikitext-2/valid.txt', 12000);
const third = Math.floor(wiki.length / 3);
const cut = (a: number) => wiki.indexOf('\n', a) + 1;

export const corpus: FuzzTarget<TextSplits> = {
  name: 'text-corpus',
  seeds: [
    { 'input.txt': enc(shakespeare) },
    { 'wiki.train.tokens': enc(wiki.slice(0, cut(third))), 'wiki.valid.tokens': enc(wiki.slice(cut(third), cut(2 * third))), 'wiki.test.tokens': enc(wiki.slice(cut(2 * third))) },
  ],
  load: (dir) => (existsSync(join(dir, 'input.txt')) ? loadTextCorpus(join(dir, 'input.txt')) : loadWikiText(dir)),
  check: (s) => {
    if (!s.train.length) throw new Error('empty training split');
    if (s.train.includes('\0') || s.train.includes('\uFFFD')) throw new Error('NUL or replacement characters in the text');
  },
};

const bpe = ByteLevelBPE.train(shakespeare, { vocabSize: 300 });
const chars = CharTokenizer.train(shakespeare);

export const tokenizer: FuzzTarget<Tokenizer> = {
  name: 'tokenizer',
  seeds: [
    { 'tokenizer.json': enc(JSON.stringify(bpe.toJSON()) + '\n') },
    { 'tokenizer.json': enc(JSON.stringify(chars.toJSON()) + '\n') },
  ],
  load: (dir) => loadTokenizer(join(dir, 'tokenizer.json')),
  check: (t) => {
    const text = 'First Citizen: you are all resolved';
    const ids = t.encode(text);
    if (ids.some((id) => !(id >= 0 && id < t.vocabSize))) throw new Error(`a token id outside the vocabulary of ${t.vocabSize}`);
    if (t.kind === 'bpe' && t.decode(ids) !== text) throw new Error('BPE does not round-trip');
  },
};
