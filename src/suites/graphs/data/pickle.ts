/**
 * A small, safe reader for the Python pickles the Planetoid files are made of (protocol 0-2, as
 * written by Python 2): numpy arrays, scipy CSR matrices, dicts / defaultdicts of lists.
 *
 * Nothing is executed: GLOBAL only ever names a class from a fixed allow-list, and REDUCE /
 * NEWOBJ / BUILD build plain JS descriptions of those objects (`NdArray`, `CsrMatrix`, a Map for
 * dicts). Any other global, or an opcode outside the supported set, is an error naming the file
 * and byte offset, as is a file that ends before STOP (truncated).
 */

export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyTuple | Map<PyValue, PyValue> | NdArray | CsrMatrix | PyGlobal | PyDtype | PyObject;

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export class PyGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

export interface PyDtype {
  kind: 'dtype';
  str: string; // 'i4', 'f8', ...
  byteorder: string; // '<', '>', '|', '='
}

/** A numpy array: shape, dtype code and the raw bytes (C order unless fortran). */
export interface NdArray {
  kind: 'ndarray';
  shape: number[];
  dtype: PyDtype | null;
  fortran: boolean;
  data: Uint8Array | null;
}

/** A scipy.sparse.csr_matrix as described by its pickled __dict__. */
export interface CsrMatrix {
  kind: 'csr';
  shape: [number, number];
  indptr: NdArray;
  indices: NdArray;
  data: NdArray;
}

export interface PyObject {
  kind: 'object';
  cls: string;
  state: PyValue;
}

const ALLOWED_GLOBALS = new Set([
  'numpy.core.multiarray._reconstruct',
  'numpy.ndarray',
  'numpy.dtype',
  'scipy.sparse.csr.csr_matrix',
  'scipy.sparse._csr.csr_matrix',
  'collections.defaultdict',
  '__builtin__.list',
  'builtins.list',
  'copy_reg._reconstructor',
  'copyreg._reconstructor',
  '__builtin__.object',
  'builtins.object',
]);

const MARK = Symbol('mark');
type StackItem = PyValue | typeof MARK;

export class PickleError extends Error {}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

/** Bytes of a pickled Python-2 str: short strings are kept as latin-1 JS strings. */
export function toBytes(v: PyValue, what: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') {
    const out = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v.charCodeAt(i) & 0xff;
    return out;
  }
  throw new PickleError(`${what}: expected a byte string`);
}

export function unpickle(buf: Uint8Array, file = '<buffer>'): PyValue {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = 0;
  const stack: StackItem[] = [];
  const memo = new Map<number, PyValue>();
  const fail = (msg: string): never => {
    throw new PickleError(`${file}: ${msg} (byte ${pos} of ${buf.length})`);
  };
  const need = (n: number) => {
    if (n < 0) fail(`negative length ${n}`); // a damaged length field (BINSTRING's is signed)
    if (pos + n > buf.length) fail(`file is truncated: needs ${n} more byte(s)`);
  };
  const u8 = () => (need(1), buf[pos++]!);
  const u16 = () => (need(2), (pos += 2), dv.getUint16(pos - 2, true));
  const i32 = () => (need(4), (pos += 4), dv.getInt32(pos - 4, true));
  const u32 = () => (need(4), (pos += 4), dv.getUint32(pos - 4, true));
  const bytes = (n: number) => (need(n), (pos += n), buf.subarray(pos - n, pos));
  const line = () => {
    const end = buf.indexOf(0x0a, pos);
    if (end < 0) fail('file is truncated inside a text line');
    const s = latin1(buf.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): PyValue => {
    if (!stack.length) fail('stack underflow');
    const v = stack.pop()!;
    if (v === MARK) fail('unexpected MARK');
    return v as PyValue;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) fail('stack underflow');
    return v as PyValue;
  };
  const popMark = (): PyValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail('MARK not found');
    const items = stack.splice(i) as PyValue[];
    items.shift();
    return items;
  };
  const setItems = (d: PyValue, kv: PyValue[]) => {
    if (!(d instanceof Map)) fail('SETITEM(S) on a non-dict');
    for (let i = 0; i + 1 < kv.length; i += 2) (d as Map<PyValue, PyValue>).set(kv[i]!, kv[i + 1]!);
  };
  const append = (l: PyValue, items: PyValue[]) => {
    if (!Array.isArray(l)) fail('APPEND(S) on a non-list');
    for (const it of items) (l as PyValue[]).push(it);
  };
  const str = (b: Uint8Array): PyValue => (b.length < 256 ? latin1(b) : b);
  const intLine = (s: string, what: string): number => {
    if (!/^[-+]?\d{1,15}$/.test(s)) fail(`${what} is not an integer: '${s.slice(0, 40)}'`);
    return Number.parseInt(s, 10);
  };

  while (true) {
    if (pos >= buf.length) fail('file is truncated: no STOP opcode');
    const at = pos;
    const op = buf[pos++]!;
    switch (op) {
      case 0x80: u8(); break; // PROTO
      case 0x2e: { // STOP
        if (stack.length !== 1) fail(`STOP with ${stack.length} items on the stack`);
        return pop();
      }
      case 0x28: stack.push(MARK); break; // MARK
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: stack.push(u8()); break; // BININT1
      case 0x4d: stack.push(u16()); break; // BININT2
      case 0x4a: stack.push(i32()); break; // BININT
      case 0x49: { // INT
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : intLine(s, 'INT'));
        break;
      }
      case 0x4c: { // LONG
        const s = line().replace(/L$/, '');
        if (!/^[-+]?\d+$/.test(s)) fail(`LONG is not an integer: '${s.slice(0, 40)}'`);
        const b = BigInt(s);
        stack.push(b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b);
        break;
      }
      case 0x8a: { // LONG1
        const n = u8();
        const b = bytes(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (n > 0 && b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
        break;
      }
      case 0x47: (need(8), (pos += 8), stack.push(dv.getFloat64(pos - 8, false))); break; // BINFLOAT
      case 0x46: { // FLOAT
        const s = line();
        if (!/^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|nan|inf)$/i.test(s)) fail(`FLOAT is not a number: '${s.slice(0, 40)}'`);
        stack.push(/nan/i.test(s) ? NaN : /inf/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number.parseFloat(s));
        break;
      }
      case 0x55: stack.push(str(bytes(u8()))); break; // SHORT_BINSTRING
      case 0x54: stack.push(str(bytes(i32()))); break; // BINSTRING
      case 0x58: stack.push(new TextDecoder().decode(bytes(u32()))); break; // BINUNICODE
      case 0x8c: stack.push(new TextDecoder().decode(bytes(u8()))); break; // SHORT_BINUNICODE
      case 0x43: stack.push(str(bytes(u8()))); break; // SHORT_BINBYTES
      case 0x42: stack.push(str(bytes(u32()))); break; // BINBYTES
      case 0x53: { // STRING (repr-quoted)
        const s = line();
        stack.push(s.slice(1, -1));
        break;
      }
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(), a = pop(); stack.push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(), b = pop(), a = pop(); stack.push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = pop(); append(top(), [v]); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items); break; } // APPENDS
      case 0x7d: stack.push(new Map()); break; // EMPTY_DICT
      case 0x64: { const d = new Map<PyValue, PyValue>(); setItems(d, popMark()); stack.push(d); break; } // DICT
      case 0x73: { const v = pop(), k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const kv = popMark(); setItems(top(), kv); break; } // SETITEMS
      case 0x71: memo.set(u8(), top()); break; // BINPUT
      case 0x72: memo.set(u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(intLine(line(), 'PUT'), top()); break; // PUT
      case 0x68: case 0x6a: case 0x67: { // BINGET, LONG_BINGET, GET
        const k = op === 0x68 ? u8() : op === 0x6a ? u32() : intLine(line(), 'GET');
        if (!memo.has(k)) fail(`memo key ${k} not found`);
        stack.push(memo.get(k)!);
        break;
      }
      case 0x63: { // GLOBAL
        const g = new PyGlobal(line(), line());
        if (!ALLOWED_GLOBALS.has(g.qualified)) fail(`refusing to load global '${g.qualified}' (not a numpy/scipy/dict object the Planetoid files use)`);
        stack.push(g);
        break;
      }
      case 0x52: { // REDUCE
        const args = pop(), fn = pop();
        stack.push(reduce(fn, args, fail));
        break;
      }
      case 0x81: { // NEWOBJ
        const args = pop(), cls = pop();
        void args;
        if (!(cls instanceof PyGlobal)) fail('NEWOBJ of a non-class');
        stack.push({ kind: 'object', cls: (cls as PyGlobal).qualified, state: null });
        break;
      }
      case 0x62: { // BUILD
        const state = pop();
        build(top(), state, fail);
        const t = top();
        if (t && typeof t === 'object' && 'kind' in t && (t as PyObject).kind === 'object' && (t as PyObject).cls.endsWith('csr_matrix')) {
          stack[stack.length - 1] = csrFromState(t as PyObject, fail);
        }
        break;
      }
      default:
        pos = at;
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')}`);
    }
  }
}

function reduce(fn: PyValue, args: PyValue, fail: (m: string) => never): PyValue {
  if (!(fn instanceof PyGlobal)) return fail('REDUCE of a non-callable');
  if (!(args instanceof PyTuple)) return fail('REDUCE with non-tuple arguments');
  const a = args.items;
  switch (fn.qualified) {
    case 'numpy.core.multiarray._reconstruct':
      return { kind: 'ndarray', shape: [], dtype: null, fortran: false, data: null } satisfies NdArray;
    case 'numpy.dtype': {
      const code = a[0];
      if (typeof code !== 'string') return fail('numpy.dtype with a non-string code');
      return { kind: 'dtype', str: code, byteorder: '=' } satisfies PyDtype;
    }
    case 'collections.defaultdict':
      return new Map();
    case 'copy_reg._reconstructor':
    case 'copyreg._reconstructor': {
      const cls = a[0];
      if (!(cls instanceof PyGlobal)) return fail('_reconstructor of a non-class');
      return { kind: 'object', cls: cls.qualified, state: null } satisfies PyObject;
    }
    default:
      return fail(`cannot call ${fn.qualified}`);
  }
}

function build(obj: PyValue, state: PyValue, fail: (m: string) => never): void {
  if (!obj || typeof obj !== 'object' || !('kind' in obj)) return void fail('BUILD on an unsupported object');
  const o = obj as NdArray | PyDtype | PyObject;
  if (o.kind === 'dtype') {
    // (version, byteorder, subarray, names, fields, elsize, alignment, flags)
    if (!(state instanceof PyTuple) || typeof state.items[1] !== 'string') return void fail('bad numpy.dtype state');
    o.byteorder = state.items[1] as string;
  } else if (o.kind === 'ndarray') {
    // (version, shape, dtype, is_fortran, rawdata)
    if (!(state instanceof PyTuple) || state.items.length < 5) return void fail('bad numpy.ndarray state');
    const [, shape, dtype, fortran, raw] = state.items;
    if (!(shape instanceof PyTuple)) return void fail('bad numpy.ndarray shape');
    o.shape = shape.items.map((d) => Number(d));
    o.dtype = dtype as PyDtype;
    o.fortran = Boolean(fortran);
    if (Array.isArray(raw)) return void fail('object arrays (dtype O) are not supported');
    if (!(raw instanceof Uint8Array) && typeof raw !== 'string') return void fail('numpy.ndarray data is not a byte string');
    o.data = toBytes(raw, 'numpy.ndarray data');
  } else if (o.kind === 'object') {
    o.state = state;
  } else {
    fail('BUILD on an unsupported object');
  }
}

function csrFromState(o: PyObject, fail: (m: string) => never): CsrMatrix {
  const st = o.state;
  if (!(st instanceof Map)) return fail('csr_matrix without a state dict');
  const get = (k: string) => st.get(k);
  const shape = get('_shape');
  const indptr = get('indptr'), indices = get('indices'), data = get('data');
  const isArr = (v: unknown): v is NdArray => !!v && typeof v === 'object' && (v as NdArray).kind === 'ndarray';
  if (!(shape instanceof PyTuple) || shape.items.length !== 2 || !isArr(indptr) || !isArr(indices) || !isArr(data)) {
    return fail('csr_matrix state lacks _shape / indptr / indices / data');
  }
  return { kind: 'csr', shape: [Number(shape.items[0]), Number(shape.items[1])], indptr, indices, data };
}

/** The element values of a numpy array as a JS typed array (copied, aligned, native endian). */
export function ndarrayValues(a: NdArray, what: string): Int32Array | Float32Array | Float64Array | Uint8Array {
  if (!a.dtype || !a.data) throw new PickleError(`${what}: numpy array without dtype or data`);
  const code = a.dtype.str.replace(/^[<>|=]/, '');
  const big = a.dtype.byteorder === '>' || a.dtype.str.startsWith('>');
  const size = a.shape.reduce((p, d) => p * d, 1);
  const width: Record<string, number> = { i4: 4, i8: 8, f4: 4, f8: 8, u1: 1, b1: 1, i2: 2, u4: 4 };
  const w = width[code];
  if (!w) throw new PickleError(`${what}: unsupported dtype '${a.dtype.str}'`);
  if (a.data.length !== size * w) throw new PickleError(`${what}: ${a.data.length} data bytes for shape [${a.shape}] of ${code} (expected ${size * w}); the file is damaged`);
  if (a.fortran && a.shape.length > 1) throw new PickleError(`${what}: Fortran-order arrays are not supported`);
  const dv = new DataView(a.data.buffer, a.data.byteOffset, a.data.byteLength);
  const le = !big;
  switch (code) {
    case 'u1': case 'b1': return a.data.slice();
    case 'i2': { const o = new Int32Array(size); for (let i = 0; i < size; i++) o[i] = dv.getInt16(2 * i, le); return o; }
    case 'i4': { const o = new Int32Array(size); for (let i = 0; i < size; i++) o[i] = dv.getInt32(4 * i, le); return o; }
    case 'u4': { const o = new Float64Array(size); for (let i = 0; i < size; i++) o[i] = dv.getUint32(4 * i, le); return o; }
    case 'i8': {
      const o = new Float64Array(size);
      for (let i = 0; i < size; i++) o[i] = Number(dv.getBigInt64(8 * i, le));
      return o;
    }
    case 'f4': { const o = new Float32Array(size); for (let i = 0; i < size; i++) o[i] = dv.getFloat32(4 * i, le); return o; }
    default: { const o = new Float64Array(size); for (let i = 0; i < size; i++) o[i] = dv.getFloat64(8 * i, le); return o; }
  }
}
