/**
 * Identifier and literal quoting for generated PostgreSQL. Names are quoted only when they
 * must be (upper case, odd characters, reserved words), so scripts read like hand-written SQL.
 */

/** Key words PostgreSQL reserves (reserved, and reserved-can-be-function-or-type). */
const RESERVED = new Set(
  `all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation
  column concurrently constraint create cross current_catalog current_date current_role current_schema current_time
  current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze
  from full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit
  localtime localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references
  returning right select session_user similar some symmetric system_user table tablesample then to trailing true union
  unique user using variadic verbose when where window with`.split(/\s+/),
);

export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualify(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A dollar-quoted body that cannot be closed early by the text it holds. */
export function dollarQuote(body: string): string {
  let tag = '$$';
  for (let n = 0; body.includes(tag); n += 1) tag = `$body${n === 0 ? '' : n}$`;
  return `${tag}${body}${tag}`;
}
