/**
 * A run's result crosses Redis as JSON, which has no NaN or ±Infinity (JSON.stringify writes
 * null). A diverged run's NaN perplexity must arrive as NaN, as in a local run, so non-finite
 * numbers travel tagged and come back as numbers.
 */
const TAG = '$nonFinite';

export function encodeResult(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? { [TAG]: String(v) } : v)));
}

export function decodeResult<T>(value: unknown): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === TAG && typeof o[TAG] === 'string') return Number(o[TAG]);
      return Object.fromEntries(keys.map((k) => [k, walk(o[k])]));
    }
    return v;
  };
  return walk(value) as T;
}
