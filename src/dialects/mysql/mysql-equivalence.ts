import type { Equivalence } from '../equivalence.js';

/**
 * MySQL 8.0.19+ dropped integer display widths (`int(11)` is now `int`) except `tinyint(1)`,
 * which means boolean; MariaDB still shows them. A MariaDB snapshot and a MySQL 8 snapshot
 * of one schema must compare equal, so widths are folded away. `CURRENT_TIMESTAMP`,
 * `current_timestamp()` and `now()` are one default.
 */
function canonicalType(type: string): string {
  const lower = type.trim().toLowerCase().replace(/\s+/g, ' ');
  if (/^tinyint\(1\)/.test(lower)) return lower;
  return lower.replace(/^(tinyint|smallint|mediumint|int|integer|bigint)\(\d+\)/, '$1').replace(/^integer\b/, 'int');
}

function canonicalDefault(value: string | null): string | null {
  if (value === null) return null;
  return value.replace(/^(current_timestamp|now|localtimestamp|localtime)(\(\))?(\((\d+)\))?$/i, (_all, _fn, _paren, _precision, digits) =>
    digits === undefined ? 'current_timestamp' : `current_timestamp(${digits})`,
  );
}

export const mysqlEquivalence: Equivalence = {
  sameType: (a, b) => a === b || canonicalType(a) === canonicalType(b),
  sameDefault: (a, b) => a === b || canonicalDefault(a) === canonicalDefault(b),
};
