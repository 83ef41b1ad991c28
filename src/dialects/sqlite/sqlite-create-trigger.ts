import { TokenCursor } from './sqlite-token-cursor.js';

/**
 * A stored CREATE TRIGGER statement (https://sqlite.org/lang_createtrigger.html). SQLite has
 * row-level triggers only; FOR EACH ROW is optional and changes nothing.
 */
export interface TriggerDefinition {
  readonly name: string;
  readonly timing: 'before' | 'after' | 'instead of';
  readonly event: 'insert' | 'update' | 'delete';
  /** `UPDATE OF a, b`, as written. */
  readonly updateColumns: readonly string[];
  readonly table: string;
  /** The WHEN expression, as written. */
  readonly condition: string | null;
  /** The statements between BEGIN and END, as written. */
  readonly body: string;
}

export function parseCreateTrigger(sql: string): TriggerDefinition {
  const cursor = new TokenCursor(sql);
  cursor.expectWords('CREATE');
  cursor.acceptOneOf('TEMP', 'TEMPORARY');
  cursor.expectWords('TRIGGER');
  cursor.acceptWords('IF', 'NOT', 'EXISTS');
  const name = cursor.qualifiedName();
  // BEFORE is SQLite's default when no timing is written.
  let timing: TriggerDefinition['timing'] = 'before';
  if (cursor.acceptWords('INSTEAD', 'OF')) timing = 'instead of';
  else if (cursor.acceptWords('AFTER')) timing = 'after';
  else cursor.acceptWords('BEFORE');
  const event = cursor.expectOneOf('INSERT', 'UPDATE', 'DELETE').toLowerCase() as TriggerDefinition['event'];
  const updateColumns: string[] = [];
  if (event === 'update' && cursor.acceptWords('OF')) {
    do updateColumns.push(cursor.name());
    while (cursor.acceptPunct(','));
  }
  cursor.expectWords('ON');
  const table = cursor.qualifiedName();
  cursor.acceptWords('FOR', 'EACH', 'ROW');
  let condition: string | null = null;
  if (cursor.acceptWords('WHEN')) {
    // A bare BEGIN ends the condition; after a dot (`new.begin`) it is a column name.
    const range = cursor.skipTo(() => cursor.isWord(0, 'BEGIN') && !isAfterDot(cursor));
    if (range === null) throw cursor.error('expected a condition after WHEN');
    condition = cursor.text(range);
  }
  cursor.expectWords('BEGIN');
  // The statement ends with the trigger's END; any CASE … END inside the body comes before it.
  const last = cursor.lastIndex;
  const end = cursor.token(last);
  if (end?.kind !== 'word' || end.value.toUpperCase() !== 'END' || last <= cursor.position) {
    throw cursor.error('expected the trigger body to close with END');
  }
  return { name, timing, event, updateColumns, table, condition, body: cursor.text({ first: cursor.position, last: last - 1 }) };
}

function isAfterDot(cursor: TokenCursor): boolean {
  const previous = cursor.token(cursor.position - 1);
  return previous?.kind === 'punct' && previous.value === '.';
}
