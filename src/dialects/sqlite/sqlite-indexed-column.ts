import type { TokenCursor, TokenRange } from './sqlite-token-cursor.js';

/**
 * One item of an index key list or of a PRIMARY KEY / UNIQUE column list:
 * `expr [COLLATE name] [ASC|DESC] [AUTOINCREMENT]`. SQLite's grammar puts the modifiers
 * after the expression, so they are taken off the end of the item's tokens.
 */
export interface IndexedColumn {
  /** The key itself: a column name or an expression, without the modifiers. */
  readonly key: TokenRange;
  readonly collation: string | null;
  readonly descending: boolean;
  /** `PRIMARY KEY (id AUTOINCREMENT)`, a table-constraint spelling SQLite accepts. */
  readonly autoIncrement: boolean;
}

export function readIndexedColumn(cursor: TokenCursor, item: TokenRange): IndexedColumn {
  let last = item.last;
  const wordAt = (index: number): string | null => {
    const token = cursor.token(index);
    return token?.kind === 'word' ? token.value.toUpperCase() : null;
  };
  const autoIncrement = last > item.first && wordAt(last) === 'AUTOINCREMENT';
  if (autoIncrement) last -= 1;
  const order = last > item.first ? wordAt(last) : null;
  const descending = order === 'DESC';
  if (order === 'ASC' || order === 'DESC') last -= 1;
  let collation: string | null = null;
  const collationToken = cursor.token(last);
  if (last - 1 > item.first && wordAt(last - 1) === 'COLLATE' && collationToken !== undefined && collationToken.kind !== 'punct') {
    collation = collationToken.value;
    last -= 2;
  }
  return { key: { first: item.first, last }, collation, descending, autoIncrement };
}

/**
 * The column an indexed item names, when it is a bare (possibly quoted or parenthesised)
 * name; `null` for an expression.
 */
export function indexedColumnName(cursor: TokenCursor, key: TokenRange): string | null {
  let first = key.first;
  let last = key.last;
  const isPunct = (index: number, value: string) => cursor.token(index)?.kind === 'punct' && cursor.token(index)?.value === value;
  while (last - first >= 2 && isPunct(first, '(') && isPunct(last, ')')) {
    first += 1;
    last -= 1;
  }
  if (first !== last) return null;
  const token = cursor.token(first);
  return token !== undefined && (token.kind === 'word' || token.kind === 'quoted' || token.kind === 'string') ? token.value : null;
}
