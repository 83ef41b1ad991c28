/**
 * PostgreSQL type names (as format_type renders them) mapped to schemaguard's engine-neutral
 * vocabulary (docs/snapshot-format.md#normalised-types).
 */
export function normalizePostgresType(nativeType: string, typeKind: string): string {
  if (nativeType.endsWith('[]')) return `array(${normalizePostgresType(nativeType.slice(0, -2), 'b')})`;
  if (typeKind === 'e') return 'enum';
  const modifier = /\(([^)]*)\)/.exec(nativeType)?.[1];
  const base = nativeType.replace(/\([^)]*\)/, '').trim();
  switch (base) {
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'boolean':
    case 'text':
    case 'date':
    case 'uuid':
    case 'interval':
      return base;
    case 'numeric':
      return modifier === undefined ? 'decimal' : `decimal(${modifier.replace(/\s/g, '')})`;
    case 'real':
      return 'float';
    case 'double precision':
      return 'double';
    case 'character varying':
      return modifier === undefined ? 'varchar' : `varchar(${modifier})`;
    case 'character':
    case 'bpchar':
      return modifier === undefined ? 'char(1)' : `char(${modifier})`;
    case 'bytea':
      return 'binary';
    case 'time without time zone':
      return 'time';
    case 'time with time zone':
      return 'timetz';
    case 'timestamp without time zone':
      return 'timestamp';
    case 'timestamp with time zone':
      return 'timestamptz';
    case 'json':
    case 'jsonb':
      return 'json';
    default:
      return nativeType;
  }
}
