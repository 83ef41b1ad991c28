/**
 * MySQL/MariaDB column types (information_schema DATA_TYPE and COLUMN_TYPE) mapped to
 * schemaguard's engine-neutral vocabulary (docs/snapshot-format.md#normalised-types), the
 * same one postgres-types.ts produces.
 *
 * Signedness and display widths are left to the native `type` (`int(10) unsigned`): the
 * normalised type names the kind of value, not its exact range.
 */
export function normalizeMysqlType(dataType: string, columnType: string, isJson: boolean): string {
  const base = dataType.toLowerCase();
  const native = columnType.toLowerCase();
  const modifier = /\(([^)]*)\)/.exec(native)?.[1];
  switch (base) {
    case 'tinyint':
      // BOOLEAN is stored as tinyint(1); both flavours keep that width in COLUMN_TYPE.
      return native.startsWith('tinyint(1)') ? 'boolean' : 'smallint';
    case 'bool':
    case 'boolean':
      return 'boolean';
    case 'smallint':
      return 'smallint';
    case 'mediumint':
    case 'int':
    case 'integer':
      return 'integer';
    case 'bigint':
      return 'bigint';
    case 'year':
      return 'integer';
    case 'decimal':
    case 'numeric':
    case 'fixed':
      return modifier === undefined ? 'decimal' : `decimal(${modifier.replace(/\s/g, '')})`;
    case 'float':
      return 'float';
    case 'double':
    case 'double precision':
    case 'real':
      return 'double';
    case 'char':
      return modifier === undefined ? 'char(1)' : `char(${modifier})`;
    case 'varchar':
      return modifier === undefined ? 'varchar' : `varchar(${modifier})`;
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      // MariaDB's JSON is LONGTEXT with an automatic json_valid() check.
      return isJson ? 'json' : 'text';
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return 'binary';
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'datetime':
      return 'timestamp';
    case 'timestamp':
      // TIMESTAMP values are converted from the session time zone to UTC and back: an instant, like timestamptz.
      return 'timestamptz';
    case 'json':
      return 'json';
    case 'enum':
      return 'enum';
    case 'uuid':
      return 'uuid';
    default:
      return columnType;
  }
}
