import { tokenizeSql, type Token } from './sqlite-tokenizer.js';

/**
 * SQLite declared types mapped to schemaguard's engine-neutral vocabulary, the one
 * postgres-types.ts maps into (integer, bigint, decimal(p,s), double, varchar(n), text…).
 *
 * SQLite accepts any words as a type and derives a column *affinity* from them
 * (https://sqlite.org/datatype3.html#determination_of_column_affinity). Names other engines
 * use are mapped by what they mean; any other name falls back on the affinity SQLite itself
 * gives it, so `STRING` normalises to `decimal` because SQLite gives it NUMERIC affinity.
 */

const BY_NAME: Readonly<Record<string, string>> = {
  INT: 'integer',
  INTEGER: 'integer',
  MEDIUMINT: 'integer',
  INT4: 'integer',
  TINYINT: 'smallint',
  SMALLINT: 'smallint',
  INT2: 'smallint',
  BIGINT: 'bigint',
  INT8: 'bigint',
  'UNSIGNED BIG INT': 'bigint',
  // SQLite stores every floating-point value in 8 bytes; the name still says what was meant.
  REAL: 'double',
  DOUBLE: 'double',
  'DOUBLE PRECISION': 'double',
  FLOAT8: 'double',
  FLOAT: 'float',
  FLOAT4: 'float',
  BOOLEAN: 'boolean',
  BOOL: 'boolean',
  TEXT: 'text',
  CLOB: 'text',
  TINYTEXT: 'text',
  MEDIUMTEXT: 'text',
  LONGTEXT: 'text',
  NTEXT: 'text',
  BLOB: 'binary',
  TINYBLOB: 'binary',
  MEDIUMBLOB: 'binary',
  LONGBLOB: 'binary',
  BYTEA: 'binary',
  BINARY: 'binary',
  VARBINARY: 'binary',
  DATE: 'date',
  TIME: 'time',
  DATETIME: 'timestamp',
  TIMESTAMP: 'timestamp',
  'TIMESTAMP WITHOUT TIME ZONE': 'timestamp',
  TIMESTAMPTZ: 'timestamptz',
  'TIMESTAMP WITH TIME ZONE': 'timestamptz',
  JSON: 'json',
  JSONB: 'json',
  UUID: 'uuid',
  // STRICT tables' ANY, and a column declared without a type: SQLite stores any value as given.
  ANY: 'any',
  '': 'any',
};

const DECIMAL_NAMES = new Set(['NUMERIC', 'DECIMAL', 'NUMBER']);
const VARCHAR_NAMES = new Set([
  'VARCHAR',
  'VARCHAR2',
  'NVARCHAR',
  'NVARCHAR2',
  'CHARACTER VARYING',
  'VARYING CHARACTER',
  'NATIONAL VARYING CHARACTER',
  'NATIONAL CHARACTER VARYING',
]);
const CHAR_NAMES = new Set(['CHAR', 'CHARACTER', 'NCHAR', 'NATIVE CHARACTER', 'NATIONAL CHARACTER']);

export function normalizeSqliteType(declared: string): string {
  const { name, modifiers } = splitDeclaredType(declared);
  if (DECIMAL_NAMES.has(name)) return modifiers.length === 0 ? 'decimal' : `decimal(${modifiers.join(',')})`;
  if (VARCHAR_NAMES.has(name)) return modifiers[0] === undefined ? 'varchar' : `varchar(${modifiers[0]})`;
  if (CHAR_NAMES.has(name)) return `char(${modifiers[0] ?? '1'})`;
  return BY_NAME[name] ?? typeOfAffinity(name);
}

/** The affinity rules, in SQLite's order: the first that matches wins. */
function typeOfAffinity(name: string): string {
  if (name.includes('INT')) return 'integer';
  if (name.includes('CHAR') || name.includes('CLOB') || name.includes('TEXT')) return 'text';
  if (name.includes('BLOB')) return 'binary';
  if (name.includes('REAL') || name.includes('FLOA') || name.includes('DOUB')) return 'double';
  return 'decimal';
}

/** `decimal(10, 2)` → name `DECIMAL`, modifiers ['10', '2']; words are upper-cased and single-spaced. */
function splitDeclaredType(declared: string): { name: string; modifiers: string[] } {
  let tokens: Token[];
  try {
    tokens = tokenizeSql(declared);
  } catch {
    // A type SQLite accepted but we cannot split: let the affinity rules judge the raw text.
    return { name: declared.toUpperCase(), modifiers: [] };
  }
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.value === '(');
  const words = (open < 0 ? tokens : tokens.slice(0, open)).map((t) => t.value.toUpperCase());
  const modifiers: string[] = [];
  if (open >= 0) {
    let current = '';
    for (const token of tokens.slice(open + 1)) {
      if (token.kind === 'punct' && (token.value === ',' || token.value === ')')) {
        if (current !== '') modifiers.push(current);
        current = '';
        if (token.value === ')') break;
      } else {
        current += token.value;
      }
    }
  }
  return { name: words.join(' '), modifiers };
}

export type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

/** The affinity SQLite gives a declared type (https://sqlite.org/datatype3.html#determination_of_column_affinity). */
export function columnAffinity(declared: string): Affinity {
  const name = declared.toUpperCase();
  if (name.includes('INT')) return 'INTEGER';
  if (name.includes('CHAR') || name.includes('CLOB') || name.includes('TEXT')) return 'TEXT';
  if (name.includes('BLOB') || name.trim() === '') return 'BLOB';
  if (name.includes('REAL') || name.includes('FLOA') || name.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}
