import { TokenCursor, type TokenRange } from './sqlite-token-cursor.js';
import { SqlSyntaxError } from './sqlite-tokenizer.js';

/**
 * The names SQLite gives a view's columns when its CREATE VIEW lists none, worked out from
 * the query's first result list (https://sqlite.org/lang_createview.html): an `AS` alias, the
 * name of a column reference, else the expression's text. `null` when the list holds a `*`,
 * whose columns only the database can tell; `undefined` entries where a name cannot be known
 * from the text alone (VALUES, an implicit alias).
 *
 * The snapshot keeps a view's query and its column names, not whether CREATE VIEW listed the
 * names: the generator writes the list only where these names differ from the snapshot's.
 */
export function impliedViewColumnNames(query: string): (string | undefined)[] | null {
  let cursor: TokenCursor;
  try {
    cursor = new TokenCursor(query);
    // WITH … AS (…): the first SELECT (or VALUES) outside parentheses starts the result list.
    cursor.skipTo(() => cursor.isWord(0, 'SELECT', 'VALUES'));
    if (cursor.atEnd) return [];
    if (cursor.acceptWords('VALUES')) return valuesColumnCount(cursor);
    cursor.expectWords('SELECT');
    cursor.acceptOneOf('DISTINCT', 'ALL');
    const names: (string | undefined)[] = [];
    for (;;) {
      const item = cursor.skipTo(() => cursor.isPunct(',') || cursor.isWord(0, ...RESULT_LIST_END));
      if (item === null) return names;
      if (isStar(cursor, item)) return null;
      names.push(resultColumnName(cursor, item));
      if (!cursor.acceptPunct(',')) return names;
    }
  } catch (error) {
    if (error instanceof SqlSyntaxError) return [undefined];
    throw error;
  }
}

const RESULT_LIST_END = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT'];

function valuesColumnCount(cursor: TokenCursor): undefined[] {
  return cursor.isPunct('(') ? cursor.groupItems().map(() => undefined) : [undefined];
}

function isStar(cursor: TokenCursor, item: TokenRange): boolean {
  const last = cursor.token(item.last);
  if (last?.kind !== 'punct' || last.value !== '*') return false;
  if (item.first === item.last) return true;
  const dot = cursor.token(item.last - 1);
  return item.last - item.first === 2 && dot?.kind === 'punct' && dot.value === '.';
}

function resultColumnName(cursor: TokenCursor, item: TokenRange): string | undefined {
  const isName = (index: number) => {
    const kind = cursor.token(index)?.kind;
    return kind === 'word' || kind === 'quoted' || kind === 'string';
  };
  const isDot = (index: number) => cursor.token(index)?.kind === 'punct' && cursor.token(index)?.value === '.';
  const before = cursor.token(item.last - 1);
  if (item.last > item.first && before?.kind === 'word' && before.value.toUpperCase() === 'AS' && isName(item.last)) {
    return cursor.token(item.last)!.value;
  }
  // `c`, `t.c`, `main.t.c`: the column's name.
  const length = item.last - item.first + 1;
  if (length % 2 === 1 && length <= 5) {
    let reference = true;
    for (let index = item.first; index <= item.last; index += 1) {
      if ((index - item.first) % 2 === 0 ? !isName(index) : !isDot(index)) reference = false;
    }
    if (reference && cursor.token(item.first)?.kind !== 'string') return cursor.token(item.last)!.value;
  }
  if (length >= 2 && isName(item.last) && !isDot(item.last - 1)) return undefined;
  return cursor.text(item);
}
