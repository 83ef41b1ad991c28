import type { ValueKind } from './model.js';

/**
 * The order of rows in data snapshots and data diffs: by the primary key's values (by every
 * column when there is none), each compared by its kind — integers, decimals and floats by
 * value, dates and timestamps by instant, everything else by code point (what PostgreSQL's
 * COLLATE "C", MySQL's binary strings and SQLite's BINARY collation do). Engines stream rows in
 * this order for the merge join of `diff --data` (data-diff.ts); NULL sorts first.
 */

export type TextComparator = (a: string, b: string) => number;

/** Code point order (UTF-16 code unit order differs for characters beyond U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) stand for code points above every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Exact comparison of decimal texts (`-12.50`, `3`); other spellings (`1e+20`, `NaN`) by their double value, NaN last. */
export function compareNumbers(a: string, b: string): number {
  const x = PLAIN_DECIMAL.exec(a);
  const y = PLAIN_DECIMAL.exec(b);
  if (x !== null && y !== null) {
    const xNegative = x[1] === '-' && !/^0*(\.0*)?$/.test(`${x[2]}.${x[3] ?? ''}`);
    const yNegative = y[1] === '-' && !/^0*(\.0*)?$/.test(`${y[2]}.${y[3] ?? ''}`);
    if (xNegative !== yNegative) return xNegative ? -1 : 1;
    const magnitude = compareMagnitudes(x[2]!, x[3] ?? '', y[2]!, y[3] ?? '');
    return xNegative ? -magnitude : magnitude;
  }
  const p = Number(a);
  const q = Number(b);
  if (Number.isNaN(p) || Number.isNaN(q)) return Number.isNaN(p) === Number.isNaN(q) ? 0 : Number.isNaN(p) ? 1 : -1;
  return p < q ? -1 : p > q ? 1 : 0;
}

function compareMagnitudes(aWhole: string, aFraction: string, bWhole: string, bFraction: string): number {
  const x = aWhole.replace(/^0+/, '');
  const y = bWhole.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  if (x !== y) return x < y ? -1 : 1;
  const width = Math.max(aFraction.length, bFraction.length);
  const p = aFraction.padEnd(width, '0');
  const q = bFraction.padEnd(width, '0');
  return p < q ? -1 : p > q ? 1 : 0;
}

/**
 * Dates and timestamps in canonical form (`2024-01-02T03:04:05.5Z`): the seconds' fraction
 * is trimmed, so `05Z` must sort before `05.5Z` — compare with the fraction padded.
 */
export function compareTemporal(a: string, b: string): number {
  return compareCodePoints(padFraction(a), padFraction(b));
}

function padFraction(text: string): string {
  const match = /^(.*?\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(text);
  if (match === null) return text;
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}${match[3]}`;
}

export function comparatorFor(kind: ValueKind): TextComparator {
  switch (kind) {
    case 'integer':
    case 'decimal':
    case 'float':
      return compareNumbers;
    case 'date':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return compareTemporal;
    default:
      return compareCodePoints;
  }
}

/** Compares rows (canonical texts) on the given columns, NULL first. */
export function rowComparator(kinds: readonly ValueKind[], columns: readonly number[]): (a: readonly (string | null)[], b: readonly (string | null)[]) => number {
  const comparators = columns.map((index) => [index, comparatorFor(kinds[index] ?? 'text')] as const);
  return (a, b) => {
    for (const [index, compare] of comparators) {
      const x = a[index] ?? null;
      const y = b[index] ?? null;
      if (x === y) continue;
      if (x === null) return -1;
      if (y === null) return 1;
      const order = compare(x, y);
      if (order !== 0) return order;
    }
    return 0;
  };
}
