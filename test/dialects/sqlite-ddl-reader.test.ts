import { describe, expect, it } from 'vitest';
import { parseCreateIndex } from '../../src/dialects/sqlite/sqlite-create-index.js';
import { parseCreateTable, type TableDefinition } from '../../src/dialects/sqlite/sqlite-create-table.js';
import { parseCreateTrigger } from '../../src/dialects/sqlite/sqlite-create-trigger.js';
import { parseCreateView } from '../../src/dialects/sqlite/sqlite-create-view.js';
import { explainDoubleQuotedString, splitScript } from '../../src/dialects/sqlite/sqlite-script.js';
import { SqlSyntaxError, tokenizeSql } from '../../src/dialects/sqlite/sqlite-tokenizer.js';
import { normalizeSqliteType } from '../../src/dialects/sqlite/sqlite-types.js';

/**
 * The readers of stored CREATE statements, on the spellings SQLite accepts and real schemas
 * use. (sqlite-snapshot.test.ts checks the same readers end to end on a real database.)
 */

const table = (sql: string): TableDefinition => {
  const definition = parseCreateTable(sql);
  if (definition.kind !== 'table') throw new Error('expected an ordinary table');
  return definition;
};

describe('the SQLite tokenizer', () => {
  it('reads identifiers in every quoting style, with doubled quotes undone', () => {
    const tokens = tokenizeSql('"a ""b""" `c``d` [e f] ghé_1$');
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['quoted', 'a "b"'],
      ['quoted', 'c`d'],
      ['quoted', 'e f'],
      ['word', 'ghé_1$'],
    ]);
  });

  it('reads string literals with doubled quotes, blobs, numbers and operators', () => {
    const tokens = tokenizeSql("'it''s' X'0aFF' 1.5e-3 .5 0x1F a->>'$.b' <> ||");
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['string', "it's"],
      ['blob', '0aFF'],
      ['number', '1.5e-3'],
      ['number', '.5'],
      ['number', '0x1F'],
      ['word', 'a'],
      ['punct', '->>'],
      ['string', '$.b'],
      ['punct', '<>'],
      ['punct', '||'],
    ]);
  });

  it('skips comments and keeps source offsets', () => {
    const source = "a -- one ) '\n/* two ) ' */ b /* open to the end";
    const tokens = tokenizeSql(source);
    expect(tokens.map((t) => source.slice(t.start, t.end))).toEqual(['a', 'b']);
  });

  it('says where an unterminated literal starts', () => {
    expect(() => tokenizeSql("CHECK (a = 'x)")).toThrow(SqlSyntaxError);
    expect(() => tokenizeSql("CHECK (a = 'x)")).toThrow(/unterminated '…' at offset 11/);
  });
});

describe('reading CREATE TABLE', () => {
  it('takes every column constraint, in any order, with names where given', () => {
    const definition = table(`CREATE TABLE t (
      id INTEGER CONSTRAINT t_pk PRIMARY KEY ASC ON CONFLICT REPLACE AUTOINCREMENT,
      code TEXT NOT NULL ON CONFLICT IGNORE COLLATE "NOCASE" CONSTRAINT code_unique UNIQUE DEFAULT ('x' || 'y'),
      n INT NULL DEFAULT -1 CONSTRAINT n_small CHECK (n < 10) CHECK (n > -5),
      p REFERENCES parent ON UPDATE SET DEFAULT MATCH PARTIAL NOT DEFERRABLE INITIALLY DEFERRED
    )`);
    expect(definition.columns).toEqual([
      { name: 'id', collation: null, autoIncrement: true, generatedExpression: null },
      { name: 'code', collation: 'NOCASE', autoIncrement: false, generatedExpression: null },
      { name: 'n', collation: null, autoIncrement: false, generatedExpression: null },
      { name: 'p', collation: null, autoIncrement: false, generatedExpression: null },
    ]);
    expect(definition.primaryKey).toEqual({ name: 't_pk', columns: ['id'] });
    expect(definition.uniques).toEqual([{ name: 'code_unique', columns: ['code'] }]);
    expect(definition.checks).toEqual([
      { name: 'n_small', expression: 'n < 10' },
      { name: null, expression: 'n > -5' },
    ]);
    expect(definition.foreignKeys).toEqual([
      {
        name: null,
        columns: ['p'],
        table: 'parent',
        referencedColumns: [],
        onUpdate: 'set default',
        onDelete: 'no action',
        match: 'partial',
        deferrable: 'not deferrable',
      },
    ]);
  });

  it('takes table constraints with or without commas between them', () => {
    const definition = table(`CREATE TABLE t (a, b, c,
      CONSTRAINT pk PRIMARY KEY (a, "b" COLLATE NOCASE DESC) UNIQUE (c) ON CONFLICT FAIL
      CONSTRAINT fk FOREIGN KEY (c) REFERENCES other (x) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
      CHECK (a <> b))`);
    expect(definition.primaryKey).toEqual({ name: 'pk', columns: ['a', 'b'] });
    expect(definition.uniques).toEqual([{ name: null, columns: ['c'] }]);
    expect(definition.foreignKeys[0]).toMatchObject({ name: 'fk', columns: ['c'], table: 'other', referencedColumns: ['x'], deferrable: 'initially deferred' });
    expect(definition.checks).toEqual([{ name: null, expression: 'a <> b' }]);
  });

  it('reads AUTOINCREMENT written in a table-level PRIMARY KEY', () => {
    expect(table('CREATE TABLE t (id INTEGER, PRIMARY KEY (id AUTOINCREMENT))').columns[0]?.autoIncrement).toBe(true);
  });

  it('keeps expressions as written: whitespace, inner comments, parentheses and strings holding parentheses', () => {
    const definition = table(`CREATE TABLE t (
      a TEXT CHECK ( length(a) > 0 AND a NOT IN (')', '(')  /* no brackets */ ),
      b TEXT GENERATED ALWAYS AS (upper(a)   || ')') VIRTUAL,
      c AS (json_extract(a, '$.x')) STORED
    )`);
    expect(definition.checks[0]?.expression).toBe("length(a) > 0 AND a NOT IN (')', '(')");
    expect(definition.columns.map((c) => c.generatedExpression)).toEqual([null, "upper(a)   || ')'", "json_extract(a, '$.x')"]);
  });

  it('reads names that are keywords when quoted, multi-word types, and the table options', () => {
    const definition = table(`CREATE TABLE IF NOT EXISTS main."order" (
      "check" DOUBLE PRECISION (10, 2) PRIMARY KEY, [primary] UNSIGNED BIG INT, 'from' "my type"
    ) WITHOUT ROWID`);
    expect(definition.name).toBe('order');
    expect(definition.columns.map((c) => c.name)).toEqual(['check', 'primary', 'from']);
    expect([definition.strict, definition.withoutRowid]).toEqual([false, true]);
    expect(table('CREATE TEMP TABLE s (a INT PRIMARY KEY) STRICT, WITHOUT ROWID')).toMatchObject({ strict: true, withoutRowid: true });
  });

  it('applies a DEFERRABLE clause standing on its own to the column’s REFERENCES', () => {
    const definition = table('CREATE TABLE t (a REFERENCES p (id) NOT NULL DEFERRABLE INITIALLY DEFERRED)');
    expect(definition.foreignKeys[0]?.deferrable).toBe('initially deferred');
  });

  it('reads a virtual table as its module and arguments', () => {
    expect(parseCreateTable("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'porter')")).toEqual({
      kind: 'virtual',
      name: 'docs',
      using: "fts5(title, body, tokenize = 'porter')",
    });
  });

  it('names the place it cannot follow', () => {
    expect(() => parseCreateTable('CREATE TABLE t (a INT PRIMARY KEY WOBBLY)')).toThrow(/unexpected text in the definition of column a, found "WOBBLY"/);
    expect(() => parseCreateTable('CREATE TABLE t (a INT')).toThrow(SqlSyntaxError);
  });
});

describe('reading CREATE INDEX', () => {
  it('splits keys into expression or column, COLLATE and order, and keeps the WHERE predicate', () => {
    const definition = parseCreateIndex(
      `CREATE UNIQUE INDEX IF NOT EXISTS main.ix ON "t" (a, (COALESCE(b, 'x, y')) DESC, lower(c) COLLATE NOCASE ASC, [d e] COLLATE RTRIM) WHERE (a > 0) AND b IS NOT NULL`,
    );
    expect(definition).toEqual({
      name: 'ix',
      table: 't',
      unique: true,
      keys: [
        { text: 'a', column: 'a', collation: null, descending: false },
        { text: "(COALESCE(b, 'x, y'))", column: null, collation: null, descending: true },
        { text: 'lower(c)', column: null, collation: 'NOCASE', descending: false },
        { text: '[d e]', column: 'd e', collation: 'RTRIM', descending: false },
      ],
      predicate: '(a > 0) AND b IS NOT NULL',
    });
  });
});

describe('reading CREATE VIEW', () => {
  it('keeps the query after AS as written, and the column names before it', () => {
    expect(parseCreateView('CREATE VIEW IF NOT EXISTS v (x, "y z") /* why */ AS\n  SELECT 1, 2 -- the end')).toEqual({
      name: 'v',
      columnNames: ['x', 'y z'],
      query: 'SELECT 1, 2',
    });
  });
});

describe('reading CREATE TRIGGER', () => {
  it('reads timing, event, UPDATE OF columns, table, WHEN and the body', () => {
    expect(
      parseCreateTrigger(`CREATE TRIGGER IF NOT EXISTS main.t AFTER UPDATE OF a, "b" ON main.tab FOR EACH ROW
        WHEN new.begin > (SELECT max(x) FROM y) BEGIN
          UPDATE y SET x = CASE WHEN new.a THEN 1 ELSE 0 END;
          INSERT INTO log VALUES ('end');
        END`),
    ).toEqual({
      name: 't',
      timing: 'after',
      event: 'update',
      updateColumns: ['a', 'b'],
      table: 'tab',
      condition: 'new.begin > (SELECT max(x) FROM y)',
      body: "UPDATE y SET x = CASE WHEN new.a THEN 1 ELSE 0 END;\n          INSERT INTO log VALUES ('end');",
    });
  });

  it('takes BEFORE when no timing is written, and INSTEAD OF', () => {
    expect(parseCreateTrigger('CREATE TRIGGER t DELETE ON x BEGIN SELECT 1; END')).toMatchObject({ timing: 'before', event: 'delete', condition: null });
    expect(parseCreateTrigger('CREATE TEMP TRIGGER t INSTEAD OF INSERT ON v BEGIN SELECT 1; END')).toMatchObject({ timing: 'instead of', event: 'insert' });
  });
});

describe('cutting a script into statements', () => {
  it('ends a statement at each semicolon, and not inside a trigger body, CASE … END included', () => {
    const script = [
      'CREATE TABLE t (a, b);',
      "CREATE TRIGGER tr AFTER INSERT ON t WHEN new.begin IS NULL BEGIN",
      "  UPDATE t SET b = CASE WHEN a > 0 THEN 'x;' ELSE 'y' END;",
      '  SELECT 1;',
      'END;',
      '-- a comment; not a statement',
      'INSERT INTO t VALUES (1, 2)',
    ].join('\n');
    expect(splitScript(script).map((s) => [s.line, s.text.split('\n')[0]])).toEqual([
      [1, 'CREATE TABLE t (a, b)'],
      [2, 'CREATE TRIGGER tr AFTER INSERT ON t WHEN new.begin IS NULL BEGIN'],
      [7, 'INSERT INTO t VALUES (1, 2)'],
    ]);
  });

  it('names the statement whose double-quoted string SQLite took for a column', () => {
    const script = 'CREATE TABLE a (x);\n\nCREATE TABLE v (\n  j TEXT,\n  k TEXT AS (json_extract(j, "$.k"))\n);';
    expect(explainDoubleQuotedString(script, 'no such column: "$.k" - should this be a string literal in single-quotes?')).toBe(
      `line 3, CREATE TABLE v …: no such column: "$.k". If "$.k" is meant as a string, write '$.k': the sqlite3 shell before 3.41 accepts double-quoted strings, but schemaguard's SQLite build (better-sqlite3, compiled with SQLITE_DQS=0) does not`,
    );
    expect(explainDoubleQuotedString(script, 'no such table: b')).toBeNull();
  });
});

describe('normalising SQLite types', () => {
  it.each([
    ['INTEGER', 'integer'],
    ['int(11)', 'integer'],
    ['BIGINT', 'bigint'],
    ['UNSIGNED BIG INT', 'bigint'],
    ['TINYINT(1)', 'smallint'],
    ['DECIMAL(10, 2)', 'decimal(10,2)'],
    ['NUMERIC', 'decimal'],
    ['REAL', 'double'],
    ['DOUBLE PRECISION', 'double'],
    ['FLOAT', 'float'],
    ['boolean', 'boolean'],
    ['NVARCHAR(160)', 'varchar(160)'],
    ['VARYING CHARACTER(255)', 'varchar(255)'],
    ['CHARACTER(20)', 'char(20)'],
    ['NCHAR', 'char(1)'],
    ['CLOB', 'text'],
    ['BLOB', 'binary'],
    ['DATE', 'date'],
    ['DATETIME', 'timestamp'],
    ['TIMESTAMP WITH TIME ZONE', 'timestamptz'],
    ['JSON', 'json'],
    ['ANY', 'any'],
    ['', 'any'],
    // Unknown names get the type of the affinity SQLite gives them.
    ['POINT', 'integer'],
    ['MEDIUMCHARS', 'text'],
    ['BLOBBY', 'binary'],
    ['FLOATING', 'double'],
    ['STRING', 'decimal'],
  ])('%s → %s', (declared, normalized) => {
    expect(normalizeSqliteType(declared)).toBe(normalized);
  });
});
