import type { Equivalence } from '../equivalence.js';
import { foldName } from './sqlite-mentions.js';

/**
 * SQLite keeps the declared type as written, and type names are case-insensitive:
 * `varchar(10)` and `VARCHAR (10)` are one type. Different names stay different even when
 * their affinity agrees (`INT PRIMARY KEY` is not a rowid alias, `INTEGER PRIMARY KEY` is).
 */
function canonicalType(type: string): string {
  return type.trim().toUpperCase().replace(/\s*\(\s*/g, '(').replace(/\s*,\s*/g, ',').replace(/\s*\)/g, ')').replace(/\s+/g, ' ');
}

export const sqliteEquivalence: Equivalence = {
  sameType: (a, b) => a === b || canonicalType(a) === canonicalType(b),
  sameDefault: (a, b) => a === b,
  // SQLite resolves every name folding ASCII letters: `Users` and `USERS` are one table.
  identityKey: foldName,
};
