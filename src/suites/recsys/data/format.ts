/**
 * The Criteo Display Advertising Challenge text format and the torchfm preprocessing of one line.
 *
 * A line is 40 tab-separated fields: `label` (0/1), `I1..I13` (integers, may be negative),
 * `C1..C26` (hashed categoricals, 8 hex digits); an empty field means missing.
 * Every field becomes a categorical token as in torchfm's CriteoDataset (the library the paper
 * used): integers v > 2 become ⌊ln(v)²⌋, smaller integers v - 2 (so 2 → "0", 1 → "-1"), missing
 * integers "NULL"; categoricals are their own token, missing ones the empty token.
 */
export const NUM_INT_FIELDS = 13;
export const NUM_CAT_FIELDS = 26;
export const NUM_FIELDS = NUM_INT_FIELDS + NUM_CAT_FIELDS; // 39
export const NUM_COLUMNS = NUM_FIELDS + 1; // label + fields
export const FIELD_NAMES: string[] = [
  ...Array.from({ length: NUM_INT_FIELDS }, (_, i) => `I${i + 1}`),
  ...Array.from({ length: NUM_CAT_FIELDS }, (_, i) => `C${i + 1}`),
];

/** A parsed, tokenised line: label and one token per field (39). */
export interface CriteoRecord {
  label: 0 | 1;
  tokens: string[];
}

export class CriteoFormatError extends Error {
  constructor(readonly source: string, readonly lineNo: number, readonly reason: string) {
    super(`${source}:${lineNo}: malformed Criteo line: ${reason}`);
    this.name = 'CriteoFormatError';
  }
}

const INT_RE = /^-?\d+$/;

/** torchfm's `convert_numeric_feature`: the token of an integer field's raw text. */
export function convertNumericFeature(raw: string): string {
  if (raw === '') return 'NULL';
  const v = Number(raw);
  if (v > 2) return String(Math.floor(Math.log(v) ** 2));
  return String(v - 2);
}

/**
 * Parses one line; throws CriteoFormatError (with `source:lineNo`) when it is not 40 fields,
 * the label is not 0/1, an integer field is not an integer, or a categorical holds whitespace.
 */
export function parseCriteoLine(line: string, lineNo: number, source = '<input>'): CriteoRecord {
  if (line.endsWith('\r')) line = line.slice(0, -1);
  const cols = line.split('\t');
  if (cols.length !== NUM_COLUMNS) {
    throw new CriteoFormatError(source, lineNo, `expected ${NUM_COLUMNS} tab-separated fields, got ${cols.length}`);
  }
  const lab = cols[0];
  if (lab !== '0' && lab !== '1') throw new CriteoFormatError(source, lineNo, `label must be 0 or 1, got '${lab}'`);
  const tokens = new Array<string>(NUM_FIELDS);
  for (let i = 0; i < NUM_INT_FIELDS; i++) {
    const raw = cols[1 + i]!;
    if (raw !== '' && !INT_RE.test(raw)) {
      throw new CriteoFormatError(source, lineNo, `${FIELD_NAMES[i]} must be an integer or empty, got '${raw}'`);
    }
    tokens[i] = convertNumericFeature(raw);
  }
  for (let i = NUM_INT_FIELDS; i < NUM_FIELDS; i++) {
    const raw = cols[1 + i]!;
    if (/\s/.test(raw)) throw new CriteoFormatError(source, lineNo, `${FIELD_NAMES[i]} contains whitespace: '${raw}'`);
    tokens[i] = raw;
  }
  return { label: lab === '1' ? 1 : 0, tokens };
}
