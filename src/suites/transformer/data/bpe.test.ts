import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteLevelBPE, pretokenize } from './bpe';
import { CharTokenizer } from './char_tokenizer';
import { loadTokenizer, saveTokenizer } from './tokenizer';
import { loadTinyShakespeare } from './corpora';
import { hasSharedData } from '../../../data/paths';
import { Rng } from '../../../engine/rng';

const SAMPLE = 'the cat sat on the mat. the cat ate the rat!\n  the  rat sat.\n\nThe end 123 456 1234\tok\r\n';

test('pretokenize covers every byte in order and attaches one space to the next word', () => {
  const b = new TextEncoder().encode(' hello  world,\n\n  x 42!');
  const pieces = pretokenize(b);
  let at = 0;
  for (const [s, e] of pieces) { assert.equal(s, at); assert.ok(e > s); at = e; }
  assert.equal(at, b.length);
  const strs = pieces.map(([s, e]) => new TextDecoder().decode(b.subarray(s, e)));
  assert.deepEqual(strs, [' hello', ' ', ' world', ',', '\n\n ', ' x', ' 42', '!']);
});

test('BPE learns the most frequent pairs first and compresses', () => {
  const tok = ByteLevelBPE.train(SAMPLE.repeat(5), { vocabSize: 300 });
  assert.ok(tok.vocabSize > 256 && tok.vocabSize <= 300);
  // ' the'/' cat' pieces are the most frequent: the first merge is a pair inside them
  const first = new TextDecoder().decode(tok.tokenToBytes(256));
  assert.ok([' t', 'th', 'he', 'at', ' c', ' s', 'ca'].includes(first), `first merge '${first}'`);
  const ids = tok.encode(SAMPLE);
  assert.ok(ids.length < new TextEncoder().encode(SAMPLE).length / 2, `${ids.length} tokens`);
  assert.equal(tok.decode(ids), SAMPLE);
});

test('BPE round-trips any text and any bytes exactly (unicode, invalid UTF-8, random bytes)', () => {
  const tok = ByteLevelBPE.train(SAMPLE.repeat(3) + 'héllo wörld 日本語 🎉🎉 héllo', { vocabSize: 400 });
  const texts = ['', ' ', 'héllo wörld 日本語 🎉', 'never seen: Ωmega ʕ•ᴥ•ʔ \u0000\u0001 \t\t\n', '   leading and trailing   ', 'a'.repeat(1000)];
  for (const t of texts) assert.equal(tok.decode(tok.encode(t)), t);
  const rng = new Rng(7);
  for (let k = 0; k < 20; k++) {
    const b = Uint8Array.from({ length: 1 + rng.int(300) }, () => rng.int(256));
    assert.deepEqual(tok.decodeBytes(tok.encodeBytes(b)), b);
  }
  const bad = Uint8Array.of(0xff, 0xfe, 0x20, 0xc3, 0x28, 0xe2, 0x82); // invalid UTF-8 sequences
  assert.deepEqual(tok.decodeBytes(tok.encodeBytes(bad)), bad);
});

test('BPE save/load gives the same tokenizer; bad files fail clearly', () => {
  const tok = ByteLevelBPE.train(SAMPLE.repeat(4), { vocabSize: 320 });
  const dir = mkdtempSync(join(tmpdir(), 'bpe-'));
  try {
    saveTokenizer(tok, join(dir, 'tok.json'));
    const back = loadTokenizer(join(dir, 'tok.json'));
    assert.equal(back.vocabSize, tok.vocabSize);
    assert.deepEqual(back.encode(SAMPLE), tok.encode(SAMPLE));
    assert.throws(() => new ByteLevelBPE([[0, 999]]), /does not exist/);
    assert.throws(() => loadTokenizer(join(dir, 'missing.json')), /cannot read tokenizer/);
    assert.throws(() => tok.decode([tok.vocabSize]), /outside the vocabulary/);
    // damaged files name themselves and the problem (not "is not iterable")
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ type: 'bpe', version: 1, merges: [[101, 32], 7] }));
    assert.throws(() => loadTokenizer(join(dir, 'bad.json')), /bad\.json: tokenizer JSON: merge 1 is 7, not a pair of token ids/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ type: 'char', version: 1, chars: ['a', 5] }));
    assert.throws(() => loadTokenizer(join(dir, 'bad.json')), /bad\.json: tokenizer JSON: chars\[1\] is 5, not a string/);
    // merges of merges: 40 doublings would ask for 2^40 bytes
    const doubling = Array.from({ length: 40 }, (_, i): [number, number] => (i === 0 ? [97, 97] : [255 + i, 255 + i]));
    assert.throws(() => new ByteLevelBPE(doubling), /makes a token of 131072 bytes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('char tokenizer round-trips seen text and maps unseen characters to token 0', () => {
  const tok = CharTokenizer.train('hello world\n');
  assert.equal(tok.vocabSize, 10); // ' ', '\n', d e h l o r w + unk
  assert.equal(tok.decode(tok.encode('hello\nworld')), 'hello\nworld');
  assert.deepEqual(Array.from(tok.encode('hz')), [tok.encode('h')[0], 0]);
});

test('BPE trains fast on Tiny Shakespeare (1 MB) with incremental pair counts', { skip: !hasSharedData('text/tinyshakespeare') }, () => {
  const { train, valid } = loadTinyShakespeare();
  const t0 = performance.now();
  const tok = ByteLevelBPE.train(train, { vocabSize: 2048 });
  const secs = (performance.now() - t0) / 1000;
  assert.equal(tok.vocabSize, 2048);
  assert.ok(secs < 20, `training took ${secs.toFixed(1)} s`);
  const ids = tok.encode(valid);
  assert.equal(tok.decode(ids), valid);
  const bytesPerToken = new TextEncoder().encode(valid).length / ids.length;
  assert.ok(bytesPerToken > 2.4, `only ${bytesPerToken.toFixed(2)} bytes per token`);
});
