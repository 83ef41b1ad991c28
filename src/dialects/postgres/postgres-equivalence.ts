import type { Equivalence } from '../equivalence.js';

/**
 * PostgreSQL renders types with format_type and expressions with pg_get_expr on capture, so
 * equal schemas already have equal text; only the short internal names a hand-written
 * snapshot might use (int4, varchar) are folded.
 */
const ALIASES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  varchar: 'character varying',
  char: 'character',
  bpchar: 'character',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
  decimal: 'numeric',
};

function canonicalType(type: string): string {
  const match = /^([a-z0-9_ ]+?)\s*(\(.*\))?(\[\])*$/i.exec(type.trim());
  if (match === null) return type.trim();
  const base = match[1]!.toLowerCase();
  const rest = type.trim().slice(match[1]!.length).replace(/\s+/g, '');
  return `${ALIASES[base] ?? base}${rest}`;
}

export const postgresEquivalence: Equivalence = {
  sameType: (a, b) => a === b || canonicalType(a) === canonicalType(b),
  sameDefault: (a, b) => a === b,
};
