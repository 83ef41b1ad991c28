import { indexedColumnName, readIndexedColumn } from './sqlite-indexed-column.js';
import { TokenCursor } from './sqlite-token-cursor.js';

/**
 * Reads a stored CREATE INDEX statement (https://sqlite.org/lang_createindex.html) for what
 * PRAGMA index_xinfo cannot say: the text of expression keys, the COLLATE written on a key,
 * and the WHERE predicate of a partial index.
 */

export interface IndexKeyDefinition {
  /** The key as written, without COLLATE/ASC/DESC: a column name or an expression. */
  readonly text: string;
  /** The column when the key is a bare name, unquoted; `null` for an expression. */
  readonly column: string | null;
  /** The COLLATE written on the key, `null` when none is. */
  readonly collation: string | null;
  readonly descending: boolean;
}

export interface IndexDefinition {
  readonly name: string;
  readonly table: string;
  readonly unique: boolean;
  readonly keys: readonly IndexKeyDefinition[];
  /** The partial-index predicate after WHERE, as written. */
  readonly predicate: string | null;
}

export function parseCreateIndex(sql: string): IndexDefinition {
  const cursor = new TokenCursor(sql);
  cursor.expectWords('CREATE');
  const unique = cursor.acceptWords('UNIQUE');
  cursor.expectWords('INDEX');
  cursor.acceptWords('IF', 'NOT', 'EXISTS');
  const name = cursor.qualifiedName();
  cursor.expectWords('ON');
  const table = cursor.name();
  const keys = cursor.groupItems().map((item): IndexKeyDefinition => {
    const indexed = readIndexedColumn(cursor, item);
    return {
      text: cursor.text(indexed.key),
      column: indexedColumnName(cursor, indexed.key),
      collation: indexed.collation,
      descending: indexed.descending,
    };
  });
  let predicate: string | null = null;
  if (cursor.acceptWords('WHERE')) {
    if (cursor.atEnd) throw cursor.error('expected a predicate after WHERE');
    predicate = cursor.textFrom(cursor.position);
  } else {
    cursor.expectEnd();
  }
  return { name, table, unique, keys, predicate };
}
