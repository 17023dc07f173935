/**
 * Mutations of valid inputs, as fast-check arbitraries. A mutation is a short list of edits, each
 * described in words so a failing case can be read (and replayed from the printed seed):
 * truncation, byte flips, inserted / deleted / swapped / duplicated sections, a wrong magic, an
 * absurd length or shape field, NaN/Inf written over a float, an empty file, non-UTF-8 bytes,
 * and for JSON files structural edits (a value replaced by an odd one, a key or element removed).
 */
import fc from 'fast-check';

export interface Mutation {
  apply(b: Uint8Array): Uint8Array;
  desc: string;
}

/** Integers a length, count or shape field should never be trusted with. */
const ABSURD = [0, 1, 0xff, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 1_000_000_000, 65_536, 16_777_216];
const BAD_UTF8 = [[0xff], [0xfe, 0xff], [0xc3, 0x28], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]];
const TEXT_TOKENS = ['NaN', 'nan', 'Infinity', '-Infinity', 'inf', '1e999', '-1e999', '-1', '0', '\t', '\n', '\r\n', '\0', '99999999999999999999', '-0', ' ', '"', "'", ',', ')', '(', '}', '{', ']', '['];

/** A position in a buffer of length n: half the time near the start (headers, length fields). */
const at = (u: number, n: number, head: boolean): number => (n === 0 ? 0 : head ? u % Math.min(n, 64) : u % n);
const pos = fc.tuple(fc.nat(), fc.boolean());

const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

function writeNumber(b: Uint8Array, p: number, bytes: Uint8Array): Uint8Array {
  const out = b.slice();
  for (let i = 0; i < bytes.length && p + i < out.length; i++) out[p + i] = bytes[i]!;
  return out;
}

function intBytes(v: number, width: 1 | 2 | 4 | 8, little: boolean): Uint8Array {
  const dv = new DataView(new ArrayBuffer(width));
  if (width === 1) dv.setUint8(0, v & 0xff);
  else if (width === 2) dv.setUint16(0, v & 0xffff, little);
  else if (width === 4) dv.setUint32(0, v >>> 0, little);
  else dv.setBigUint64(0, BigInt(v), little);
  return new Uint8Array(dv.buffer);
}

function floatBytes(v: number, width: 4 | 8, little: boolean): Uint8Array {
  const dv = new DataView(new ArrayBuffer(width));
  if (width === 4) dv.setFloat32(0, v, little);
  else dv.setFloat64(0, v, little);
  return new Uint8Array(dv.buffer);
}

const truncate: fc.Arbitrary<Mutation> = pos.map(([u, head]) => ({
  apply: (b) => b.subarray(0, at(u, b.length, head)),
  desc: `truncate at ${head ? 'head ' : ''}${u}`,
}));
const flip: fc.Arbitrary<Mutation> = fc.tuple(pos, fc.integer({ min: 0, max: 255 })).map(([[u, head], v]) => ({
  apply: (b) => writeNumber(b, at(u, b.length, head), Uint8Array.of(v)),
  desc: `byte ${head ? 'head ' : ''}${u} := ${v}`,
}));
const flips: fc.Arbitrary<Mutation> = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 2, maxLength: 16 }).map((xs) => ({
  apply: (b) => {
    const out = b.slice();
    for (const [u, v] of xs) if (out.length) out[u % out.length] = v;
    return out;
  },
  desc: `${xs.length} random bytes changed`,
}));
const insert: fc.Arbitrary<Mutation> = fc.tuple(pos, fc.uint8Array({ minLength: 1, maxLength: 24 })).map(([[u, head], ins]) => ({
  apply: (b) => {
    const p = at(u, b.length + 1, head);
    return concat(b.subarray(0, p), ins, b.subarray(p));
  },
  desc: `insert ${ins.length} bytes at ${head ? 'head ' : ''}${u}`,
}));
const del: fc.Arbitrary<Mutation> = fc.tuple(pos, fc.integer({ min: 1, max: 512 })).map(([[u, head], n]) => ({
  apply: (b) => {
    const p = at(u, b.length, head);
    return concat(b.subarray(0, p), b.subarray(Math.min(b.length, p + n)));
  },
  desc: `delete ${n} bytes at ${head ? 'head ' : ''}${u}`,
}));
const swap: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 256 })).map(([u, v, n]) => ({
  apply: (b) => {
    if (b.length < 2) return b;
    const len = Math.min(n, Math.floor(b.length / 2));
    const a = u % (b.length - 2 * len + 1);
    const c = a + len + (v % (b.length - a - 2 * len + 1));
    return concat(b.subarray(0, a), b.subarray(c, c + len), b.subarray(a + len, c), b.subarray(a, a + len), b.subarray(c + len));
  },
  desc: `swap two sections of ${n} bytes (${u}, ${v})`,
}));
const duplicate: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 256 })).map(([u, v, n]) => ({
  apply: (b) => {
    if (!b.length) return b;
    const s = u % b.length;
    const piece = b.subarray(s, Math.min(b.length, s + n));
    const p = v % (b.length + 1);
    return concat(b.subarray(0, p), piece, b.subarray(p));
  },
  desc: `copy ${n} bytes from ${u} to ${v}`,
}));
const magic: fc.Arbitrary<Mutation> = fc.uint8Array({ minLength: 1, maxLength: 8 }).map((m) => ({
  apply: (b) => writeNumber(b, 0, m),
  desc: `wrong magic [${Array.from(m).join(',')}]`,
}));
const absurd: fc.Arbitrary<Mutation> = fc.tuple(pos, fc.constantFrom(...ABSURD), fc.constantFrom(1, 2, 4, 8) as fc.Arbitrary<1 | 2 | 4 | 8>, fc.boolean()).map(([[u, head], v, w, le]) => ({
  apply: (b) => writeNumber(b, at(u, b.length, head), intBytes(v, w, le)),
  desc: `${w}-byte ${le ? 'LE' : 'BE'} ${v} at ${head ? 'head ' : ''}${u}`,
}));
const nonFinite: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity), fc.constantFrom(4, 8) as fc.Arbitrary<4 | 8>, fc.boolean()).map(([u, v, w, le]) => ({
  // aligned to the float width from the end, where binary payloads (after a header) usually sit
  apply: (b) => (b.length < w ? b : writeNumber(b, b.length - w * (1 + (u % Math.floor(b.length / w))), floatBytes(v, w, le))),
  desc: `float${w * 8} ${v} written ${u} floats from the end`,
}));
const empty: fc.Arbitrary<Mutation> = fc.constant({ apply: () => new Uint8Array(0), desc: 'empty file' });
const badUtf8: fc.Arbitrary<Mutation> = fc.tuple(pos, fc.constantFrom(...BAD_UTF8)).map(([[u, head], seq]) => ({
  apply: (b) => {
    const p = at(u, b.length + 1, head);
    return concat(b.subarray(0, p), Uint8Array.from(seq), b.subarray(p));
  },
  desc: `non-UTF-8 [${seq.map((x) => x.toString(16)).join(' ')}] at ${head ? 'head ' : ''}${u}`,
}));
const textToken: fc.Arbitrary<Mutation> = fc.tuple(pos, fc.constantFrom(...TEXT_TOKENS), fc.boolean()).map(([[u, head], tok, replace]) => ({
  apply: (b) => {
    const p = at(u, b.length + 1, head);
    const t = new TextEncoder().encode(tok);
    return concat(b.subarray(0, p), t, b.subarray(Math.min(b.length, p + (replace ? t.length : 0))));
  },
  desc: `${replace ? 'overwrite' : 'insert'} ${JSON.stringify(tok)} at ${head ? 'head ' : ''}${u}`,
}));

/** One edit of any kind. */
export const byteMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: truncate, weight: 2 }, { arbitrary: flip, weight: 3 }, { arbitrary: flips, weight: 2 },
  { arbitrary: insert, weight: 2 }, { arbitrary: del, weight: 2 }, { arbitrary: swap, weight: 1 },
  { arbitrary: duplicate, weight: 1 }, { arbitrary: magic, weight: 1 }, { arbitrary: absurd, weight: 3 },
  { arbitrary: nonFinite, weight: 2 }, { arbitrary: empty, weight: 1 }, { arbitrary: badUtf8, weight: 1 },
  { arbitrary: textToken, weight: 2 },
);

/** One to three edits in a row. */
export const byteMutations: fc.Arbitrary<Mutation> = fc.array(byteMutation, { minLength: 1, maxLength: 3 }).map((ms) => ({
  apply: (b) => ms.reduce((x, m) => m.apply(x), b),
  desc: ms.map((m) => m.desc).join('; '),
}));

// ---- JSON: edits of the structure, written back as text ----

/** Raw JSON texts put in place of a value: odd types, non-finite numbers (1e999), absurd sizes. */
const ODD_VALUES = ['null', 'true', 'false', '-1', '0', '0.5', '-0', '1e999', '-1e999', '1e308', '4294967296', '123456789012345', '""', '"x"', '"../../etc/passwd"', '[]', '{}', '[[]]', '[null]', '[1e999]', '{"$f32":[0,1e9]}', '[-1,-1]', '[0,99999999]'];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside a JSON document (objects' keys, arrays' indices). */
function paths(v: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (out.length > 20_000) return out;
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

const MARK = '\u0000fuzz\u0000';

/**
 * A structural edit of a JSON document: a value replaced by an odd one, a key or array element
 * removed, an element duplicated. Documents that do not parse are passed on unchanged (these are
 * for valid JSON seeds; byte edits cover the rest).
 */
export const jsonMutation: fc.Arbitrary<Mutation> = fc.tuple(fc.nat(), fc.constantFrom('replace', 'remove', 'duplicate'), fc.constantFrom(...ODD_VALUES)).map(([u, op, value]) => ({
  apply: (b) => {
    let doc: Json;
    try {
      doc = JSON.parse(new TextDecoder().decode(b)) as Json;
    } catch {
      return b;
    }
    const all = paths(doc);
    const path = all[u % all.length]!;
    if (!path.length) return new TextEncoder().encode(op === 'replace' ? value : '');
    const parent = path.slice(0, -1).reduce<Json>((x, k) => (x as Record<string, Json>)[k as string]!, doc) as Record<string, Json> | Json[];
    const key = path[path.length - 1]!;
    if (op === 'replace') (parent as Record<string, Json>)[key as string] = MARK;
    else if (op === 'remove') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    } else if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]!));
    else (parent as Record<string, Json>)[`${key}_copy`] = structuredClone(parent[key as string]!);
    return new TextEncoder().encode(JSON.stringify(doc).replace(JSON.stringify(MARK), value));
  },
  desc: `json ${op} value #${u}${op === 'replace' ? ` with ${value}` : ''}`,
}));

/** Byte edits and structural edits, for JSON files. */
export const jsonOrByteMutations: fc.Arbitrary<Mutation> = fc.oneof({ arbitrary: jsonMutation, weight: 3 }, { arbitrary: byteMutations, weight: 2 });
