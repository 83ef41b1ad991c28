import type { CheckConstraint, Column, Deferrable, ForeignKey, Index, IndexKey, PrimaryKey, Table, Trigger, UniqueConstraint, View } from '../../snapshot/model.js';
import { foldName } from './sqlite-mentions.js';
import { nameList, quoteIdent } from './sqlite-quote.js';
import { tokenizeSql, type Token } from './sqlite-tokenizer.js';
import { impliedViewColumnNames } from './sqlite-view-columns.js';

/**
 * SQLite DDL for snapshot objects: the CREATE statement that recreates each one. SQLite
 * stores CREATE text as written and the snapshot reads expressions, types and bodies back
 * from that text, so they are written here exactly as captured: what SQLite then stores
 * snapshots equal to the object it came from.
 */

const constraintName = (name: string | null): string => (name === null ? '' : `CONSTRAINT ${quoteIdent(name)} `);

export function deferrableClause(deferrable: Deferrable): string {
  switch (deferrable) {
    case 'not deferrable':
      return '';
    case 'initially immediate':
      return ' DEFERRABLE INITIALLY IMMEDIATE';
    case 'initially deferred':
      return ' DEFERRABLE INITIALLY DEFERRED';
  }
}

/** How a DEFAULT the pragma reported can be written back. */
type DefaultShape = 'literal' | 'null' | 'time' | 'word' | 'expression';

function defaultShape(text: string): DefaultShape {
  let tokens: Token[];
  try {
    tokens = tokenizeSql(text);
  } catch {
    return 'expression';
  }
  const [first, second] = tokens;
  if (tokens.length === 2 && first?.kind === 'punct' && (first.value === '-' || first.value === '+') && second?.kind === 'number') {
    return 'literal';
  }
  if (tokens.length !== 1 || first === undefined) return 'expression';
  if (first.kind === 'string' || first.kind === 'number' || first.kind === 'blob') return 'literal';
  if (first.kind === 'quoted') return 'word';
  if (first.kind !== 'word') return 'expression';
  const word = first.value.toUpperCase();
  if (word === 'NULL') return 'null';
  if (word === 'TRUE' || word === 'FALSE') return 'literal';
  if (word === 'CURRENT_TIME' || word === 'CURRENT_DATE' || word === 'CURRENT_TIMESTAMP') return 'time';
  return 'word';
}

/**
 * `DEFAULT 'x'`, `DEFAULT -1`, `DEFAULT CURRENT_TIMESTAMP`, else `DEFAULT (expr)`: SQLite
 * reports an expression default without its parentheses, and stores a literal as written.
 */
export function defaultClause(text: string): string {
  return defaultShape(text) === 'expression' ? `DEFAULT (${text})` : `DEFAULT ${text}`;
}

/** A default ALTER TABLE ADD COLUMN accepts on a table that has rows: a constant. */
export function isConstantDefault(text: string | null): boolean {
  if (text === null) return true;
  const shape = defaultShape(text);
  return shape === 'literal' || shape === 'null' || shape === 'word';
}

export function isNullDefault(text: string | null): boolean {
  return text === null || defaultShape(text) === 'null';
}

const ACTIONS: Record<ForeignKey['onDelete'], string> = {
  'no action': 'NO ACTION',
  restrict: 'RESTRICT',
  cascade: 'CASCADE',
  'set null': 'SET NULL',
  'set default': 'SET DEFAULT',
};

/** `REFERENCES parent (cols) ON DELETE … MATCH … DEFERRABLE …`, shared by the table and the column form. */
function referencesClause(fk: ForeignKey): string {
  const parts = [`REFERENCES ${quoteIdent(fk.referencedTable)}${fk.referencedColumns.length === 0 ? '' : ` ${nameList(fk.referencedColumns)}`}`];
  if (fk.onUpdate !== 'no action') parts.push(`ON UPDATE ${ACTIONS[fk.onUpdate]}`);
  if (fk.onDelete !== 'no action') parts.push(`ON DELETE ${ACTIONS[fk.onDelete]}`);
  if (fk.match !== 'simple') parts.push(`MATCH ${fk.match.toUpperCase()}`);
  return `${parts.join(' ')}${deferrableClause(fk.deferrable)}`;
}

export function foreignKeyClause(fk: ForeignKey): string {
  return `${constraintName(fk.name)}FOREIGN KEY ${nameList(fk.columns)} ${referencesClause(fk)}`;
}

export function primaryKeyClause(pk: PrimaryKey): string {
  return `${constraintName(pk.name)}PRIMARY KEY ${nameList(pk.columns)}`;
}

export function uniqueClause(unique: UniqueConstraint): string {
  return `${constraintName(unique.name)}UNIQUE ${nameList(unique.columns)}`;
}

export function checkClause(check: CheckConstraint): string {
  return `${constraintName(check.name)}CHECK (${check.expression})`;
}

/** Constraints written on the column itself (ADD COLUMN takes no table constraints). */
export interface ColumnConstraints {
  /** The table's one-column primary key, written `PRIMARY KEY [AUTOINCREMENT]` on its column. */
  readonly primaryKey?: PrimaryKey;
  readonly references?: readonly ForeignKey[];
  readonly checks?: readonly CheckConstraint[];
}

export function columnDefinition(column: Column, constraints: ColumnConstraints = {}): string {
  const parts = [quoteIdent(column.name)];
  if (column.type !== '') parts.push(column.type);
  if (constraints.primaryKey !== undefined) {
    parts.push(`${constraintName(constraints.primaryKey.name)}PRIMARY KEY${column.autoIncrement ? ' AUTOINCREMENT' : ''}`);
  }
  if (!column.nullable) parts.push('NOT NULL');
  if (column.collation !== null) parts.push(`COLLATE ${quoteIdent(column.collation)}`);
  if (column.generated !== null) {
    parts.push(`GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.storage === 'stored' ? 'STORED' : 'VIRTUAL'}`);
  } else if (column.default !== null) {
    parts.push(defaultClause(column.default));
  }
  for (const check of constraints.checks ?? []) parts.push(checkClause(check));
  for (const fk of constraints.references ?? []) parts.push(`${constraintName(fk.name)}${referencesClause(fk)}`);
  return parts.join(' ');
}

export const isVirtualTable = (table: Table): boolean => table.options.using !== undefined;

/**
 * CREATE TABLE with every column and constraint, under `name` (the 12-step rebuild creates
 * the new definition as `new_X` first). A one-column primary key is written on its column,
 * where AUTOINCREMENT must go; the other constraints as table constraints.
 */
export function createTable(table: Table, name: string = table.name): string {
  if (isVirtualTable(table)) return `CREATE VIRTUAL TABLE ${quoteIdent(name)} USING ${table.options.using}`;
  const pk = table.primaryKey;
  const inlinePk = pk !== null && pk.columns.length === 1 ? foldName(pk.columns[0]!) : null;
  const elements = [
    ...table.columns.map((column) =>
      columnDefinition(column, foldName(column.name) === inlinePk && pk !== null ? { primaryKey: pk } : {}),
    ),
    ...(pk !== null && inlinePk === null ? [primaryKeyClause(pk)] : []),
    ...table.uniqueConstraints.map(uniqueClause),
    ...table.checks.map(checkClause),
    ...table.foreignKeys.map(foreignKeyClause),
  ];
  const options = [
    ...(table.options.strict === 'true' ? ['STRICT'] : []),
    ...(table.options.without_rowid === 'true' ? ['WITHOUT ROWID'] : []),
  ];
  return `CREATE TABLE ${quoteIdent(name)} (\n  ${elements.join(',\n  ')}\n)${options.length === 0 ? '' : ` ${options.join(', ')}`}`;
}

function indexKey(key: IndexKey): string {
  const parts = [key.kind === 'column' ? quoteIdent(key.column) : key.expression];
  if (key.collation !== null) parts.push(`COLLATE ${quoteIdent(key.collation)}`);
  if (key.order === 'desc') parts.push('DESC');
  return parts.join(' ');
}

export function createIndex(table: string, index: Index): string {
  const where = index.predicate === null ? '' : ` WHERE ${index.predicate}`;
  return `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(index.name)} ON ${quoteIdent(table)} (${index.keys.map(indexKey).join(', ')})${where}`;
}

/**
 * CREATE VIEW with the query as captured. The column names are listed only when the query
 * alone would not give the ones the snapshot holds, and never for a query with `*`, whose
 * columns a listed count would freeze.
 */
export function createView(view: View): string {
  const implied = impliedViewColumnNames(view.definition);
  const names = view.columns.map((c) => c.name);
  const sameNames =
    implied === null ||
    names.length === 0 ||
    (implied.length === names.length && implied.every((name, at) => name !== undefined && foldName(name) === foldName(names[at]!)));
  return `CREATE VIEW ${quoteIdent(view.name)}${sameNames ? '' : ` ${nameList(names)}`} AS\n${view.definition}`;
}

export function createTrigger(trigger: Trigger): string {
  const event = trigger.events[0]!.toUpperCase();
  const of = trigger.updateColumns.length === 0 ? '' : ` OF ${trigger.updateColumns.map(quoteIdent).join(', ')}`;
  const when = trigger.condition === null ? '' : `\nWHEN ${trigger.condition}`;
  return `CREATE TRIGGER ${quoteIdent(trigger.name)} ${trigger.timing.toUpperCase()} ${event}${of} ON ${quoteIdent(trigger.table)}${when}\nBEGIN\n  ${trigger.action}\nEND`;
}
