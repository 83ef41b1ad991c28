import { TokenCursor } from './sqlite-token-cursor.js';

/** A stored CREATE VIEW statement (https://sqlite.org/lang_createview.html). */
export interface ViewDefinition {
  readonly name: string;
  /** `CREATE VIEW v(a, b) AS …`: the column names given before AS; empty when none are. */
  readonly columnNames: readonly string[];
  /** The query after AS, as written. */
  readonly query: string;
}

export function parseCreateView(sql: string): ViewDefinition {
  const cursor = new TokenCursor(sql);
  cursor.expectWords('CREATE');
  cursor.acceptOneOf('TEMP', 'TEMPORARY');
  cursor.expectWords('VIEW');
  cursor.acceptWords('IF', 'NOT', 'EXISTS');
  const name = cursor.qualifiedName();
  const columnNames = cursor.isPunct('(') ? cursor.nameList() : [];
  cursor.expectWords('AS');
  if (cursor.atEnd) throw cursor.error('expected a query after AS');
  return { name, columnNames, query: cursor.textFrom(cursor.position) };
}
