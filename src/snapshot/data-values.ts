import type { DataValue, ValueKind } from './model.js';

/**
 * Canonical values and rows for data snapshots (docs/snapshot-format.md#data).
 *
 * Every value has one canonical text, the same on every engine that has its type: integers and
 * decimals as exact decimal text, floats as their shortest round-trip digits, binary as
 * lowercase hex, timestamps in ISO 8601 (`2024-01-02T03:04:05.5`, zoned ones in UTC with `Z`),
 * booleans `true`/`false`, JSON with sorted keys and no spaces. A row's canonical encoding is
 * its values' texts escaped as PostgreSQL's COPY text format escapes them (backslash, and the
 * control characters \b \t \n \v \f \r), joined by tabs, with `\N` for NULL — so PostgreSQL's
 * own COPY output already is the canonical encoding for most types, and no value's text can
 * contain the separator. The fingerprint hashes these bytes (data-hash.ts).
 */

export const NULL_FIELD = '\\N';

const NEEDS_ESCAPE = /[\\\x08-\x0d]/;
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
};
const UNESCAPES: Record<string, string> = { '\\': '\\', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r' };

/** A value's text as it appears in a row encoding (COPY text escaping). */
export function escapeField(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(/[\\\x08-\x0d]/g, (c) => ESCAPES[c]!) : text;
}

/** The value behind an escaped field; null for `\N`. */
export function unescapeField(field: string): string | null {
  if (field === NULL_FIELD) return null;
  return field.includes('\\') ? field.replace(/\\(.)/gs, (_, c: string) => UNESCAPES[c] ?? c) : field;
}

/** A row's canonical encoding from its values' canonical texts. */
export function encodeRow(values: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (i > 0) line += '\t';
    line += value === null || value === undefined ? NULL_FIELD : escapeField(value);
  }
  return line;
}

/** The canonical texts of an encoded row. */
export function decodeRow(line: string): (string | null)[] {
  return line.split('\t').map(unescapeField);
}

/** Stored form of a canonical text: booleans become JSON booleans; everything else stays text. */
export function toStoredValue(text: string | null, kind: ValueKind): DataValue {
  if (text === null) return null;
  if (kind === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

export function fromStoredValue(value: DataValue): string | null {
  if (value === null) return null;
  return typeof value === 'boolean' ? String(value) : value;
}

// ── numbers ──────────────────────────────────────────────────────────────────────────────

/**
 * A double's canonical text: its shortest round-trip digits, written as PostgreSQL writes a
 * float8 (fixed notation for decimal exponents -4 to 14, else `1.5e+300`), `NaN`,
 * `Infinity`, `-Infinity`, `-0`.
 */
export function formatDouble(value: number): string {
  // Where both write fixed notation (1e-4 ≤ |x| < 1e15), ECMAScript's shortest round-trip
  // text is PostgreSQL's: the common case, without building the digits by hand.
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e15) return String(value);
  return formatShortest(value, value.toExponential(), 15);
}

/** A float4's canonical text: the shortest digits that round-trip through single precision, as PostgreSQL writes a real. */
export function formatFloat32(value: number): string {
  const single = Math.fround(value);
  if (!Number.isFinite(single) || single === 0) return formatShortest(single, '', 6);
  let digits = single.toExponential();
  for (let precision = 1; precision <= 9; precision += 1) {
    const candidate = single.toExponential(precision - 1);
    if (Math.fround(Number(candidate)) === single) {
      digits = candidate;
      break;
    }
  }
  return formatShortest(single, digits, 6);
}

function formatShortest(value: number, exponential: string, fixedBelow: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa = '', exponentText = '0'] = exponential.split('e');
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  const exponent = Number(exponentText);
  const sign = negative ? '-' : '';
  if (exponent >= -4 && exponent < fixedBelow) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return fraction === '' ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
  }
  const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const magnitude = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${head}e${exponent < 0 ? '-' : '+'}${magnitude}`;
}

// ── temporal ─────────────────────────────────────────────────────────────────────────────

/** `03:04:05.120000` → `03:04:05.12`; `03:04:05.000+00` → `03:04:05+00`: trailing zeros of the seconds' fraction go. */
export function trimFraction(text: string): string {
  const dot = text.indexOf('.');
  if (dot < 0) return text;
  let digitsEnd = dot + 1;
  while (digitsEnd < text.length && text.charCodeAt(digitsEnd) >= 48 && text.charCodeAt(digitsEnd) <= 57) digitsEnd += 1;
  let end = digitsEnd;
  while (end > dot + 1 && text.charCodeAt(end - 1) === 48) end -= 1;
  if (end === digitsEnd) return text;
  return `${text.slice(0, end === dot + 1 ? dot : end)}${text.slice(digitsEnd)}`;
}

/** `2024-01-02 03:04:05.120` → `2024-01-02T03:04:05.12` (the first space becomes `T`). */
export function isoDateTime(text: string): string {
  const space = text.indexOf(' ');
  const joined = space < 0 ? text : `${text.slice(0, space)}T${text.slice(space + 1)}`;
  return trimFraction(joined);
}

// ── binary ───────────────────────────────────────────────────────────────────────────────

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

// ── JSON ─────────────────────────────────────────────────────────────────────────────────

/**
 * JSON text in canonical form: object keys sorted by code unit, no insignificant whitespace,
 * strings escaped as JSON.stringify escapes them, numbers as their exact decimal value in
 * ECMAScript style (`1.0` → `1`, `1E2` → `100`, `1e-7` stays exponential) without ever going
 * through a double, so large and precise numbers are kept. Text that is not JSON is returned
 * unchanged.
 */
export function canonicalJson(text: string): string {
  try {
    const parser = new JsonParser(text);
    const value = parser.value();
    parser.end();
    return value;
  } catch {
    return text;
  }
}

class JsonParser {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  end(): void {
    this.#space();
    if (this.#at !== this.#text.length) throw new Error('trailing text');
  }

  value(): string {
    this.#space();
    const c = this.#text[this.#at];
    if (c === '{') return this.#object();
    if (c === '[') return this.#array();
    if (c === '"') return JSON.stringify(this.#string());
    if (c === 't' || c === 'f' || c === 'n') return this.#word();
    return this.#number();
  }

  #space(): void {
    while (this.#at < this.#text.length && ' \t\n\r'.includes(this.#text[this.#at]!)) this.#at += 1;
  }

  #expect(c: string): void {
    this.#space();
    if (this.#text[this.#at] !== c) throw new Error(`expected ${c}`);
    this.#at += 1;
  }

  #object(): string {
    this.#expect('{');
    const members: [string, string][] = [];
    this.#space();
    if (this.#text[this.#at] === '}') {
      this.#at += 1;
      return '{}';
    }
    for (;;) {
      this.#space();
      const key = this.#string();
      this.#expect(':');
      members.push([key, this.value()]);
      this.#space();
      const c = this.#text[this.#at++];
      if (c === '}') break;
      if (c !== ',') throw new Error('expected , or }');
    }
    members.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
  }

  #array(): string {
    this.#expect('[');
    const items: string[] = [];
    this.#space();
    if (this.#text[this.#at] === ']') {
      this.#at += 1;
      return '[]';
    }
    for (;;) {
      items.push(this.value());
      this.#space();
      const c = this.#text[this.#at++];
      if (c === ']') break;
      if (c !== ',') throw new Error('expected , or ]');
    }
    return `[${items.join(',')}]`;
  }

  #string(): string {
    if (this.#text[this.#at] !== '"') throw new Error('expected a string');
    const match = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(this.#text.slice(this.#at));
    if (match === null) throw new Error('bad string');
    this.#at += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  #word(): string {
    for (const word of ['true', 'false', 'null']) {
      if (this.#text.startsWith(word, this.#at)) {
        this.#at += word.length;
        return word;
      }
    }
    throw new Error('bad literal');
  }

  #number(): string {
    const match = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?/.exec(this.#text.slice(this.#at));
    if (match === null) throw new Error('bad number');
    this.#at += match[0].length;
    return canonicalDecimal(match[0].startsWith('-'), match[1]!, match[2] ?? '', Number(match[3] ?? '0'));
  }
}

/** An exact decimal in ECMAScript Number#toString style, computed on the digits. */
function canonicalDecimal(negative: boolean, whole: string, fraction: string, exponent: number): string {
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '') return negative ? '-0' : '0';
  // value = 0.digits × 10^point
  let point = whole.replace(/^0+/, '').length + exponent;
  if (whole.replace(/^0+/, '') === '') point = exponent - (fraction.length - fraction.replace(/^0+/, '').length);
  digits = digits.replace(/0+$/, '');
  const sign = negative ? '-' : '';
  const n = point; // digits d1…dk, value = 0.d1…dk × 10^n
  const k = digits.length;
  if (k <= n && n <= 21) return `${sign}${digits}${'0'.repeat(n - k)}`;
  if (0 < n && n <= 21) return `${sign}${digits.slice(0, n)}.${digits.slice(n)}`;
  if (-6 < n && n <= 0) return `${sign}0.${'0'.repeat(-n)}${digits}`;
  const e = n - 1;
  const head = k === 1 ? digits : `${digits[0]}.${digits.slice(1)}`;
  return `${sign}${head}e${e < 0 ? '-' : '+'}${Math.abs(e)}`;
}
