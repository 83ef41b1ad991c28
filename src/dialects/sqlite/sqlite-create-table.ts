import type { Deferrable, ReferentialAction } from '../../snapshot/model.js';
import { indexedColumnName, readIndexedColumn } from './sqlite-indexed-column.js';
import { TokenCursor } from './sqlite-token-cursor.js';

/**
 * Reads a stored CREATE TABLE statement (or CREATE VIRTUAL TABLE) by recursive descent over
 * SQLite's grammar (https://sqlite.org/lang_createtable.html): what PRAGMA table_xinfo,
 * index_list and foreign_key_list leave out comes from here. Expressions are returned as
 * source text exactly as written.
 */

export interface ColumnDefinition {
  readonly name: string;
  readonly collation: string | null;
  readonly autoIncrement: boolean;
  /** The expression of `[GENERATED ALWAYS] AS (…)`, without its parentheses. */
  readonly generatedExpression: string | null;
}

export interface KeyDefinition {
  readonly name: string | null;
  /** Column names as written (SQLite resolves them case-insensitively). */
  readonly columns: readonly string[];
}

export interface CheckDefinition {
  readonly name: string | null;
  /** The expression inside `CHECK (…)`, as written. */
  readonly expression: string;
}

export interface ForeignKeyDefinition {
  readonly name: string | null;
  readonly columns: readonly string[];
  readonly table: string;
  /** Empty when the clause references the parent's primary key implicitly. */
  readonly referencedColumns: readonly string[];
  readonly onUpdate: ReferentialAction;
  readonly onDelete: ReferentialAction;
  readonly match: 'simple' | 'full' | 'partial';
  readonly deferrable: Deferrable;
}

export interface TableDefinition {
  readonly kind: 'table';
  readonly name: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: KeyDefinition | null;
  readonly uniques: readonly KeyDefinition[];
  readonly checks: readonly CheckDefinition[];
  readonly foreignKeys: readonly ForeignKeyDefinition[];
  readonly withoutRowid: boolean;
  readonly strict: boolean;
}

export interface VirtualTableDefinition {
  readonly kind: 'virtual';
  readonly name: string;
  /** What follows USING, as written: `fts5(title, body)`. */
  readonly using: string;
}

export function parseCreateTable(sql: string): TableDefinition | VirtualTableDefinition {
  const cursor = new TokenCursor(sql);
  cursor.expectWords('CREATE');
  cursor.acceptOneOf('TEMP', 'TEMPORARY');
  if (cursor.acceptWords('VIRTUAL')) {
    cursor.expectWords('TABLE');
    cursor.acceptWords('IF', 'NOT', 'EXISTS');
    const name = cursor.qualifiedName();
    cursor.expectWords('USING');
    return { kind: 'virtual', name, using: cursor.textFrom(cursor.position) };
  }
  cursor.expectWords('TABLE');
  cursor.acceptWords('IF', 'NOT', 'EXISTS');
  return new TableReader(cursor, cursor.qualifiedName()).read();
}

/** Words that end a column's type name: the start of a column constraint. */
const CONSTRAINT_WORDS = ['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'AS'];

interface MutableColumn {
  name: string;
  collation: string | null;
  autoIncrement: boolean;
  generatedExpression: string | null;
}

class TableReader {
  readonly #cursor: TokenCursor;
  readonly #name: string;
  readonly #columns: MutableColumn[] = [];
  #primaryKey: KeyDefinition | null = null;
  readonly #uniques: KeyDefinition[] = [];
  readonly #checks: CheckDefinition[] = [];
  readonly #foreignKeys: ForeignKeyDefinition[] = [];

  constructor(cursor: TokenCursor, name: string) {
    this.#cursor = cursor;
    this.#name = name;
  }

  read(): TableDefinition {
    const cursor = this.#cursor;
    if (cursor.isWord(0, 'AS')) throw cursor.error('CREATE TABLE … AS SELECT is stored as a column list by SQLite');
    cursor.expectPunct('(');
    let inConstraints = false;
    for (;;) {
      inConstraints ||= this.#atTableConstraint();
      if (inConstraints) this.#tableConstraint();
      else this.#column();
      if (cursor.acceptPunct(')')) break;
      // SQLite lets table constraints follow one another without a comma.
      if (!cursor.acceptPunct(',') && !inConstraints) throw cursor.error('expected "," or ")"');
    }
    let withoutRowid = false;
    let strict = false;
    do {
      if (cursor.acceptWords('WITHOUT', 'ROWID')) withoutRowid = true;
      else if (cursor.acceptWords('STRICT')) strict = true;
      else if (!cursor.atEnd) throw cursor.error('expected WITHOUT ROWID or STRICT');
    } while (cursor.acceptPunct(','));
    cursor.expectEnd();
    return {
      kind: 'table',
      name: this.#name,
      columns: this.#columns,
      primaryKey: this.#primaryKey,
      uniques: this.#uniques,
      checks: this.#checks,
      foreignKeys: this.#foreignKeys,
      withoutRowid,
      strict,
    };
  }

  #atTableConstraint(): boolean {
    const cursor = this.#cursor;
    return (
      (cursor.isWord(0, 'CONSTRAINT') && cursor.isName(1)) ||
      (cursor.isWord(0, 'PRIMARY', 'FOREIGN') && cursor.isWord(1, 'KEY')) ||
      (cursor.isWord(0, 'UNIQUE', 'CHECK') && cursor.isPunct('(', 1))
    );
  }

  #column(): void {
    const cursor = this.#cursor;
    const column: MutableColumn = { name: cursor.name(), collation: null, autoIncrement: false, generatedExpression: null };
    this.#columns.push(column);
    this.#skipTypeName();
    let constraintName: string | null = null;
    while (!cursor.atEnd && !cursor.isPunct(',') && !cursor.isPunct(')')) {
      if (cursor.acceptWords('CONSTRAINT')) {
        constraintName = cursor.name();
        continue;
      }
      const name = constraintName;
      constraintName = null;
      if (cursor.acceptWords('PRIMARY', 'KEY')) {
        cursor.acceptOneOf('ASC', 'DESC');
        this.#conflictClause();
        if (cursor.acceptWords('AUTOINCREMENT')) column.autoIncrement = true;
        this.#primaryKey = { name, columns: [column.name] };
      } else if (cursor.acceptWords('NOT', 'NULL') || cursor.acceptWords('NULL')) {
        this.#conflictClause();
      } else if (cursor.acceptWords('UNIQUE')) {
        this.#conflictClause();
        this.#uniques.push({ name, columns: [column.name] });
      } else if (cursor.acceptWords('CHECK')) {
        this.#checks.push({ name, expression: this.#parenthesisedText() });
      } else if (cursor.acceptWords('DEFAULT')) {
        this.#skipDefault();
      } else if (cursor.acceptWords('COLLATE')) {
        column.collation = cursor.name();
      } else if (cursor.acceptWords('REFERENCES')) {
        this.#foreignKeys.push(this.#references(name, [column.name]));
      } else if (cursor.acceptWords('GENERATED', 'ALWAYS', 'AS') || cursor.acceptWords('AS')) {
        column.generatedExpression = this.#parenthesisedText();
        cursor.acceptOneOf('STORED', 'VIRTUAL');
      } else if (cursor.isWord(0, 'DEFERRABLE') || (cursor.isWord(0, 'NOT') && cursor.isWord(1, 'DEFERRABLE'))) {
        // A deferral clause standing on its own applies to the column's last REFERENCES.
        const last = this.#foreignKeys.pop();
        if (last === undefined) throw cursor.error('DEFERRABLE without REFERENCES');
        this.#foreignKeys.push({ ...last, deferrable: this.#deferral(last.deferrable) });
      } else {
        throw cursor.error(`unexpected text in the definition of column ${column.name}`);
      }
    }
  }

  /**
   * Skips the declared type (PRAGMA table_xinfo reports it): names, then an optional
   * `(n)` or `(p, s)`. `GENERATED` only ends it when `ALWAYS` follows, as in SQLite.
   */
  #skipTypeName(): void {
    const cursor = this.#cursor;
    while (cursor.isName() && !cursor.isWord(0, ...CONSTRAINT_WORDS) && !(cursor.isWord(0, 'GENERATED') && cursor.isWord(1, 'ALWAYS'))) {
      cursor.next();
    }
    if (cursor.isPunct('(')) cursor.group();
  }

  /** `DEFAULT (expr)`, `DEFAULT -1`, `DEFAULT 'x'`, `DEFAULT CURRENT_TIMESTAMP`: the text comes from the pragma. */
  #skipDefault(): void {
    const cursor = this.#cursor;
    if (cursor.isPunct('(')) {
      cursor.group();
      return;
    }
    if (!cursor.acceptPunct('-')) cursor.acceptPunct('+');
    cursor.next();
  }

  /** `ON CONFLICT ROLLBACK|ABORT|FAIL|IGNORE|REPLACE`: not part of the snapshot model. */
  #conflictClause(): void {
    if (this.#cursor.acceptWords('ON', 'CONFLICT')) this.#cursor.expectOneOf('ROLLBACK', 'ABORT', 'FAIL', 'IGNORE', 'REPLACE');
  }

  #parenthesisedText(): string {
    const inner = this.#cursor.group();
    if (inner === null) throw this.#cursor.error('expected an expression');
    return this.#cursor.text(inner);
  }

  #tableConstraint(): void {
    const cursor = this.#cursor;
    const name = cursor.acceptWords('CONSTRAINT') ? cursor.name() : null;
    if (cursor.acceptWords('PRIMARY', 'KEY')) {
      this.#primaryKey = { name, columns: this.#keyColumns(true) };
      this.#conflictClause();
    } else if (cursor.acceptWords('UNIQUE')) {
      this.#uniques.push({ name, columns: this.#keyColumns(false) });
      this.#conflictClause();
    } else if (cursor.acceptWords('CHECK')) {
      this.#checks.push({ name, expression: this.#parenthesisedText() });
      this.#conflictClause();
    } else if (cursor.acceptWords('FOREIGN', 'KEY')) {
      const columns = cursor.nameList();
      cursor.expectWords('REFERENCES');
      this.#foreignKeys.push(this.#references(name, columns));
    } else {
      throw cursor.error('expected PRIMARY KEY, UNIQUE, CHECK or FOREIGN KEY');
    }
  }

  /** The columns of a table-level PRIMARY KEY or UNIQUE, noting `(id AUTOINCREMENT)`. */
  #keyColumns(primary: boolean): string[] {
    const cursor = this.#cursor;
    return cursor.groupItems().map((item) => {
      const indexed = readIndexedColumn(cursor, item);
      const name = indexedColumnName(cursor, indexed.key);
      if (name === null) throw cursor.error('expected a column name in a PRIMARY KEY or UNIQUE constraint');
      if (primary && indexed.autoIncrement) {
        const column = this.#columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
        if (column !== undefined) column.autoIncrement = true;
      }
      return name;
    });
  }

  /** `REFERENCES parent [(cols)] [ON DELETE|UPDATE action | MATCH name]… [[NOT] DEFERRABLE [INITIALLY …]]` */
  #references(name: string | null, columns: string[]): ForeignKeyDefinition {
    const cursor = this.#cursor;
    const table = cursor.name();
    const referencedColumns = cursor.isPunct('(') ? cursor.nameList() : [];
    let onUpdate: ReferentialAction = 'no action';
    let onDelete: ReferentialAction = 'no action';
    let match: ForeignKeyDefinition['match'] = 'simple';
    for (;;) {
      if (cursor.acceptWords('ON')) {
        const event = cursor.expectOneOf('DELETE', 'UPDATE', 'INSERT');
        const action = this.#referentialAction();
        if (event === 'DELETE') onDelete = action;
        else if (event === 'UPDATE') onUpdate = action;
      } else if (cursor.acceptWords('MATCH')) {
        // SQLite parses MATCH and ignores it; anything but FULL and PARTIAL means SIMPLE.
        const kind = cursor.name().toLowerCase();
        match = kind === 'full' || kind === 'partial' ? kind : 'simple';
      } else {
        break;
      }
    }
    return { name, columns, table, referencedColumns, onUpdate, onDelete, match, deferrable: this.#deferral('not deferrable') };
  }

  #referentialAction(): ReferentialAction {
    const cursor = this.#cursor;
    if (cursor.acceptWords('SET', 'NULL')) return 'set null';
    if (cursor.acceptWords('SET', 'DEFAULT')) return 'set default';
    if (cursor.acceptWords('CASCADE')) return 'cascade';
    if (cursor.acceptWords('RESTRICT')) return 'restrict';
    cursor.expectWords('NO', 'ACTION');
    return 'no action';
  }

  /** `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`; `current` when there is none. */
  #deferral(current: Deferrable): Deferrable {
    const cursor = this.#cursor;
    let deferrable: boolean;
    if (cursor.acceptWords('NOT', 'DEFERRABLE')) deferrable = false;
    else if (cursor.acceptWords('DEFERRABLE')) deferrable = true;
    else return current;
    const initially = cursor.acceptWords('INITIALLY') ? cursor.expectOneOf('DEFERRED', 'IMMEDIATE') : 'IMMEDIATE';
    if (!deferrable) return 'not deferrable';
    return initially === 'DEFERRED' ? 'initially deferred' : 'initially immediate';
  }
}
