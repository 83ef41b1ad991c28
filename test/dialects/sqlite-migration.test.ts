import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/diff/change.js';
import { compareSnapshots } from '../../src/diff/diff-snapshots.js';
import { renderMigrationScript, type MigrationStatement } from '../../src/diff/migration-script.js';
import { generateSqliteMigration } from '../../src/dialects/sqlite/sqlite-migration.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';
import { fixture, scratchWith, snapshotOf } from '../support/scratch.js';

/**
 * `schemaguard diff --format sql` for SQLite: the generated script, run with the sqlite3
 * shell on a database shaped like the first schema, must give one that snapshots equal to
 * the second. Every case below is two schemas a reader can load by hand.
 */

const open: ScratchDatabase[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((scratch) => scratch.dispose()));
});

async function scratch(schema: string): Promise<ScratchDatabase> {
  const database = await scratchWith({ kind: 'sqlite' }, schema);
  open.push(database);
  return database;
}

const pathOf = (database: ScratchDatabase): string => (database.url.kind === 'sqlite' ? database.url.path : '');

/** Runs a script as a user would: `sqlite3 -bail app.db < migration.sql`. */
function sqlite3(database: ScratchDatabase, script: string): string {
  return execFileSync('sqlite3', ['-bail', pathOf(database)], { input: script, encoding: 'utf8' });
}

interface Migration {
  readonly statements: MigrationStatement[];
  /** The script with destructive statements included. */
  readonly script: string;
  readonly changes: Change[];
  /** The database that had the first schema, after the script. */
  readonly database: ScratchDatabase;
  /** What still differs from the second schema after the script: `[]` when it did its job. */
  readonly left: Change[];
}

/**
 * Loads `from` (then `data`, if any) and `to` into scratch databases, generates the SQL
 * between their snapshots, runs it on the first, and compares the result with the second.
 */
async function migrate(from: string, to: string, data = ''): Promise<Migration> {
  const database = await scratch(from);
  if (data !== '') await database.connection.executeScript(data);
  const target = await scratch(to);
  const before: SchemaSnapshot = await snapshotOf(database);
  const after: SchemaSnapshot = await snapshotOf(target);
  const changes = compareSnapshots(before, after).changes;
  const statements = generateSqliteMigration(before, after, changes);
  const script = renderMigrationScript(statements, { allowDestructive: true, engine: 'sqlite' });
  try {
    sqlite3(database, script);
  } catch (error) {
    throw new Error(`the generated script failed: ${(error as { stderr?: string }).stderr ?? String(error)}\n${script}`);
  }
  const left = compareSnapshots(await snapshotOf(database), after).changes;
  return { statements, script, changes, database, left };
}

async function rows(database: ScratchDatabase, query: string): Promise<unknown[]> {
  return (await sql.raw(query).execute(database.connection.db)).rows;
}

const isRebuild = (s: MigrationStatement) => s.sql.includes('ALTER TABLE') && s.sql.includes(' RENAME TO ') && s.sql.includes('INSERT INTO');

const USERS = `CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT
);`;
const SOME_USERS = `INSERT INTO users (id, email, name) VALUES (1, 'ada@example.com', 'Ada'), (2, 'grace@example.com', NULL);`;

describe('SQLite migration SQL', () => {
  describe('tables', () => {
    it('creates every kind of object the snapshot knows, from an empty database', async () => {
      const migration = await migrate('', fixture('sqlite/all-kinds.sql'));
      expect(migration.left).toEqual([]);
      expect(migration.statements.every((s) => s.destructive === null)).toBe(true);
    });

    it('drops every kind of object, each DROP marked destructive', async () => {
      const migration = await migrate(fixture('sqlite/all-kinds.sql'), '');
      expect(migration.left).toEqual([]);
      expect(migration.statements.map((s) => s.destructive)).not.toContain(null);
      expect(migration.statements.find((s) => s.sql === 'DROP TABLE artist')?.destructive).toBe('drops table artist and its rows');
    });

    it('drops a child table before the table it references, so foreign keys never block the drop', async () => {
      const migration = await migrate(
        `CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (id INTEGER PRIMARY KEY, a_id REFERENCES a (id) ON DELETE RESTRICT);`,
        '',
        `INSERT INTO a VALUES (1); INSERT INTO b VALUES (1, 1);`,
      );
      expect(migration.statements.map((s) => s.sql)).toEqual(['DROP TABLE b', 'DROP TABLE a']);
      expect(migration.left).toEqual([]);
    });

    it('renames a table with ALTER TABLE … RENAME TO, keeping its rows', async () => {
      const migration = await migrate(USERS, USERS.replace('users', 'members'), SOME_USERS);
      expect(migration.statements.map((s) => s.sql)).toEqual(['ALTER TABLE users RENAME TO members']);
      expect(migration.left).toEqual([]);
      expect(await rows(migration.database, 'SELECT count(*) AS n FROM members')).toEqual([{ n: 2 }]);
    });

    it('renames a table whose name changes only in case through a free name (SQLite refuses it directly), keeping its rows', async () => {
      const migration = await migrate(USERS.replace('users', 'USERS'), USERS.replace('name TEXT', 'name TEXT,\n  bio TEXT'), SOME_USERS.replace('users', 'USERS'));
      expect(migration.statements.map((s) => s.sql)).toEqual([
        'ALTER TABLE USERS RENAME TO renamed_users;\nALTER TABLE renamed_users RENAME TO users',
        'ALTER TABLE users ADD COLUMN bio TEXT',
      ]);
      expect(migration.left).toEqual([]);
      expect(await rows(migration.database, 'SELECT count(*) AS n FROM users')).toEqual([{ n: 2 }]);
    });

    it('leaves the foreign keys of child tables to follow a renamed parent', async () => {
      const schema = (parent: string) =>
        `CREATE TABLE ${parent} (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES ${parent} (id));`;
      const migration = await migrate(schema('teams'), schema('squads'));
      expect(migration.statements.map((s) => s.sql)).toEqual(['ALTER TABLE teams RENAME TO squads']);
      expect(migration.left).toEqual([]);
    });

    it('quotes names that need it, and only those', async () => {
      const migration = await migrate('', `CREATE TABLE "order" ("key" TEXT, "two words" INT, plain INT, [Mixed] INT);`);
      expect(migration.statements[0]!.sql).toContain('CREATE TABLE "order" (\n  "key" TEXT,\n  "two words" INT,\n  plain INT,\n  Mixed INT\n)');
      expect(migration.left).toEqual([]);
    });
  });

  describe('ALTER TABLE where SQLite can', () => {
    it('adds a nullable column', async () => {
      const migration = await migrate(USERS, USERS.replace('name TEXT', "name TEXT,\n  bio TEXT DEFAULT 'none'"), SOME_USERS);
      expect(migration.statements.map((s) => s.sql)).toEqual(["ALTER TABLE users ADD COLUMN bio TEXT DEFAULT 'none'"]);
      expect(migration.left).toEqual([]);
    });

    it('adds a NOT NULL column that has a constant default', async () => {
      const migration = await migrate(USERS, USERS.replace('name TEXT', 'name TEXT,\n  score REAL NOT NULL DEFAULT -1.5'), SOME_USERS);
      expect(migration.statements.map((s) => s.sql)).toEqual(['ALTER TABLE users ADD COLUMN score REAL NOT NULL DEFAULT -1.5']);
      expect(migration.left).toEqual([]);
    });

    it('adds a column with its foreign key written on it', async () => {
      const teams = 'CREATE TABLE teams (id INTEGER PRIMARY KEY);\n';
      const migration = await migrate(
        teams + USERS,
        teams + USERS.replace('name TEXT', 'name TEXT,\n  team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL'),
        SOME_USERS,
      );
      expect(migration.statements.map((s) => s.sql)).toEqual(['ALTER TABLE users ADD COLUMN team_id INTEGER REFERENCES teams (id) ON DELETE SET NULL']);
      expect(migration.left).toEqual([]);
    });

    it('adds a column with its CHECK, warning that existing rows must pass it', async () => {
      const migration = await migrate(USERS, USERS.replace('name TEXT', 'name TEXT,\n  age INT CHECK (age >= 0)'), SOME_USERS);
      expect(migration.statements).toEqual([
        { sql: 'ALTER TABLE users ADD COLUMN age INT CHECK (age >= 0)', destructive: null, hazards: ['fails if existing rows violate it: CHECK (age >= 0)'] },
      ]);
      expect(migration.left).toEqual([]);
    });

    it('adds a VIRTUAL generated column', async () => {
      const migration = await migrate(USERS, USERS.replace('name TEXT', 'name TEXT,\n  domain TEXT AS (substr(email, instr(email, \'@\') + 1))'), SOME_USERS);
      expect(migration.statements.map((s) => s.sql)).toEqual([
        "ALTER TABLE users ADD COLUMN domain TEXT GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) VIRTUAL",
      ]);
      expect(migration.left).toEqual([]);
    });

    it('renames a column, and recreates the index and view that name it', async () => {
      const schema = (column: string) => `
        CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, ${column} TEXT);
        CREATE INDEX users_name ON users (${column});
        CREATE VIEW named AS SELECT id, ${column} FROM users WHERE ${column} IS NOT NULL;`;
      const migration = await migrate(schema('name'), schema('full_name'), SOME_USERS);
      expect(migration.statements.map((s) => s.sql)).toEqual([
        'DROP VIEW named',
        'DROP INDEX users_name',
        'ALTER TABLE users RENAME COLUMN name TO full_name',
        'CREATE INDEX users_name ON users (full_name)',
        'CREATE VIEW named AS\nSELECT id, full_name FROM users WHERE full_name IS NOT NULL',
      ]);
      expect(migration.statements.map((s) => s.destructive)).toEqual([null, null, null, null, null]);
      expect(migration.left).toEqual([]);
      expect(await rows(migration.database, 'SELECT full_name FROM users ORDER BY id')).toEqual([{ full_name: 'Ada' }, { full_name: null }]);
    });

    it('renames a column whose name changes only in case, and its UNIQUE follows', async () => {
      const migration = await migrate(USERS.replace('email TEXT NOT NULL', 'email TEXT NOT NULL UNIQUE'), USERS.replace('email TEXT NOT NULL', 'Email TEXT NOT NULL UNIQUE'), SOME_USERS);
      expect(migration.statements.map((s) => s.sql)).toEqual(['ALTER TABLE users RENAME COLUMN email TO Email']);
      expect(migration.left).toEqual([]);
    });

    it('drops a column with ALTER TABLE DROP COLUMN, marked destructive', async () => {
      const migration = await migrate(USERS, USERS.replace(',\n  name TEXT', ''), SOME_USERS);
      expect(migration.statements).toEqual([
        {
          sql: 'ALTER TABLE users DROP COLUMN name',
          destructive: 'drops column users.name and its values',
          hazards: ['rewrites every row of the table'],
        },
      ]);
      expect(migration.left).toEqual([]);
    });

    it('drops an indexed column after its index', async () => {
      const migration = await migrate(`${USERS}\nCREATE INDEX users_name ON users (name);`, USERS.replace(',\n  name TEXT', ''), SOME_USERS);
      expect(migration.statements.map((s) => s.sql)).toEqual(['DROP INDEX users_name', 'ALTER TABLE users DROP COLUMN name']);
      expect(migration.statements.map((s) => s.destructive)).toEqual(['drops index users_name', 'drops column users.name and its values']);
      expect(migration.left).toEqual([]);
    });
  });

  describe('the 12-step rebuild, for what ALTER TABLE cannot do', () => {
    /** Each: the table before, after, and what the rebuild must warn about. */
    const REBUILDS: [string, string, string, string[]][] = [
      ['a STORED generated column is added', USERS, USERS.replace('name TEXT', 'name TEXT,\n  lower_email TEXT AS (lower(email)) STORED'), []],
      [
        'a NOT NULL column without a default is added',
        USERS,
        USERS.replace('name TEXT', 'name TEXT,\n  login TEXT NOT NULL'),
        ['fails if the table has rows: new column login is NOT NULL and has no default'],
      ],
      ['a column with a non-constant default is added', USERS, USERS.replace('name TEXT', 'name TEXT,\n  created TEXT DEFAULT CURRENT_TIMESTAMP'), []],
      ['a UNIQUE column is added', USERS, USERS.replace('name TEXT', 'name TEXT,\n  handle TEXT UNIQUE'), ['fails if existing rows violate it: UNIQUE (handle)']],
      ['a column becomes NOT NULL', USERS, USERS.replace('name TEXT', 'name TEXT NOT NULL'), ['fails if existing rows violate it: name NOT NULL']],
      ['a column gets a default', USERS, USERS.replace('name TEXT', "name TEXT DEFAULT ('anonymous ' || 1)"), []],
      ['a column gets a collation', USERS, USERS.replace('email TEXT NOT NULL', 'email TEXT NOT NULL COLLATE NOCASE'), []],
      ['a column widens its type', USERS, USERS.replace('name TEXT', 'name VARCHAR(200)'), []],
      ['the primary key changes', USERS, USERS.replace('id INTEGER PRIMARY KEY', 'id INTEGER').replace('name TEXT', 'name TEXT,\n  PRIMARY KEY (id, email)'), ['fails if existing rows violate it: PRIMARY KEY (id, email)']],
      ['the key becomes AUTOINCREMENT', USERS, USERS.replace('INTEGER PRIMARY KEY', 'INTEGER PRIMARY KEY AUTOINCREMENT'), []],
      ['a UNIQUE constraint is added', USERS, USERS.replace('name TEXT', 'name TEXT,\n  CONSTRAINT users_email_key UNIQUE (email)'), ['fails if existing rows violate it: CONSTRAINT users_email_key UNIQUE (email)']],
      ['a CHECK on existing columns is added', USERS, USERS.replace('name TEXT', "name TEXT CHECK (name <> '')"), ["fails if existing rows violate it: CHECK (name <> '')"]],
      ['the table becomes STRICT', USERS, `${USERS.slice(0, -1)} STRICT;`, ['fails if existing rows violate it: STRICT column types']],
      ['the table becomes WITHOUT ROWID', USERS, `${USERS.slice(0, -1)} WITHOUT ROWID;`, []],
    ];

    it.each(REBUILDS)('when %s', async (_name, from, to, hazards) => {
      const migration = await migrate(from, to, hazards.some((h) => h.includes('violate') || h.includes('has rows')) ? '' : SOME_USERS);
      expect(migration.left).toEqual([]);
      expect(migration.statements).toHaveLength(1);
      const [rebuild] = migration.statements;
      expect(isRebuild(rebuild!)).toBe(true);
      expect(rebuild!.destructive).toBeNull();
      expect(rebuild!.hazards).toEqual(['rebuilds the table: copies every row', ...hazards]);
    });

    it('follows the documented steps, in order, as one statement', async () => {
      const schema = (name: string) =>
        `CREATE TABLE teams (id INTEGER PRIMARY KEY);\nCREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams (id), ${name});`;
      const migration = await migrate(schema('name TEXT'), schema("name TEXT DEFAULT ''"), 'INSERT INTO teams VALUES (1); INSERT INTO members VALUES (1, 1, NULL);');
      expect(migration.statements.map((s) => s.sql)).toEqual([
        [
          'PRAGMA foreign_keys=OFF;',
          'BEGIN;',
          "CREATE TABLE new_members (\n  id INTEGER PRIMARY KEY,\n  team_id INTEGER,\n  name TEXT DEFAULT '',\n  FOREIGN KEY (team_id) REFERENCES teams (id)\n);",
          'INSERT INTO new_members (id, team_id, name)\n  SELECT id, team_id, name FROM members;',
          'DROP TABLE members;',
          'ALTER TABLE new_members RENAME TO members;',
          'PRAGMA foreign_key_check(members);',
          'COMMIT;',
          'PRAGMA foreign_keys=ON;',
        ].join('\n'),
      ]);
      expect(migration.left).toEqual([]);
    });

    it('rebuilds a parent before its child, and checks each table’s keys once the tables they name are final', async () => {
      // A whole-database foreign_key_check in the parent's rebuild would fail: the child still names teams (team_no).
      const migration = await migrate(
        'CREATE TABLE teams (team_no INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE members (id INTEGER PRIMARY KEY, team INTEGER REFERENCES teams (team_no));',
        'CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE members (id INTEGER PRIMARY KEY, team INTEGER REFERENCES teams (id));',
      );
      expect(migration.left).toEqual([]);
      const checks = migration.statements.map((s) => s.sql.split('\n').filter((line) => line.startsWith('PRAGMA foreign_key_check')));
      expect(checks).toEqual([[], ['PRAGMA foreign_key_check(members);']]);
    });

    it('keeps the rows of every column it keeps', async () => {
      const migration = await migrate(USERS, USERS.replace('email TEXT NOT NULL', 'email VARCHAR(320) NOT NULL COLLATE NOCASE'), SOME_USERS);
      expect(migration.left).toEqual([]);
      expect(await rows(migration.database, 'SELECT id, email, name FROM users ORDER BY id')).toEqual([
        { id: 1, email: 'ada@example.com', name: 'Ada' },
        { id: 2, email: 'grace@example.com', name: null },
      ]);
    });

    it('is destructive when it drops a column, and names it', async () => {
      const migration = await migrate(
        `${USERS.replace('name TEXT', 'name TEXT UNIQUE')}`,
        USERS.replace(',\n  name TEXT', ''),
        SOME_USERS,
      );
      expect(migration.left).toEqual([]);
      expect(migration.statements).toHaveLength(1);
      expect(migration.statements[0]!.destructive).toBe('drops column name of users and its values');
    });

    it('is destructive when a column narrows to a numeric affinity', async () => {
      const migration = await migrate(`CREATE TABLE codes (code TEXT);`, `CREATE TABLE codes (code INTEGER);`, `INSERT INTO codes VALUES ('007');`);
      expect(migration.left).toEqual([]);
      expect(migration.statements[0]!.destructive).toBe("narrows codes.code from TEXT to INTEGER: text that looks like a number becomes one ('007' → 7)");
    });

    it('keeps the AUTOINCREMENT counter, so deleted keys are never reused', async () => {
      const table = 'CREATE TABLE events (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT);';
      const migration = await migrate(table, table.replace('kind TEXT', 'kind TEXT NOT NULL DEFAULT \'x\''), `INSERT INTO events (kind) VALUES ('a'), ('b'), ('c'); DELETE FROM events WHERE id = 3;`);
      expect(migration.left).toEqual([]);
      expect(await rows(migration.database, "SELECT seq FROM sqlite_sequence WHERE name = 'events'")).toEqual([{ seq: 3 }]);
    });

    it('changes foreign keys, asking foreign_key_check to report violations', async () => {
      const teams = 'CREATE TABLE teams (id INTEGER PRIMARY KEY);\n';
      const member = (fk: string) => `${teams}CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER, ${fk});`;
      const migration = await migrate(
        member('FOREIGN KEY (team_id) REFERENCES teams (id)'),
        member('CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED'),
        'INSERT INTO teams VALUES (1); INSERT INTO members VALUES (1, 1);',
      );
      expect(migration.left).toEqual([]);
      expect(migration.statements[0]!.hazards).toContain(
        'foreign_key_check may report violations: CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON UPDATE SET NULL ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED',
      );
    });

    it('warns about a constraint that changes in place, as about a new one', async () => {
      const teams = 'CREATE TABLE teams (id INTEGER PRIMARY KEY);\n';
      const member = (onDelete: string, check: string) =>
        `${teams}CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER, age INT,\n  CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE ${onDelete},\n  CONSTRAINT members_age CHECK (${check}));`;
      const migration = await migrate(member('CASCADE', 'age >= 0'), member('SET NULL', 'age >= 18'));
      expect(migration.left).toEqual([]);
      expect(migration.statements[0]!.hazards).toEqual([
        'rebuilds the table: copies every row',
        'fails if existing rows violate it: CONSTRAINT members_age CHECK (age >= 18)',
        'foreign_key_check may report violations: CONSTRAINT members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE SET NULL',
      ]);
    });

    it('warns to run outside a transaction when other tables reference the rebuilt one', async () => {
      const schema = 'CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams (id) ON DELETE CASCADE);';
      const migration = await migrate(schema, schema.replace('name TEXT', 'name TEXT NOT NULL DEFAULT \'\''), 'INSERT INTO teams VALUES (1, \'a\'); INSERT INTO members VALUES (1, 1);');
      expect(migration.left).toEqual([]);
      expect(migration.statements[0]!.hazards.at(-1)).toMatch(/^run it outside a transaction/);
      // The child rows survive: foreign keys were off while the parent was dropped.
      expect(await rows(migration.database, 'SELECT count(*) AS n FROM members')).toEqual([{ n: 1 }]);
    });

    it('recreates the indexes, triggers and views of the rebuilt table, and what reads it, with the rows intact', async () => {
      const schema = (nameColumn: string) => `
        ${USERS.replace('name TEXT', nameColumn)}
        CREATE TABLE audit (at TEXT DEFAULT CURRENT_TIMESTAMP, what TEXT);
        CREATE UNIQUE INDEX users_email ON users (lower(email));
        CREATE INDEX users_named ON users (name COLLATE NOCASE DESC) WHERE name IS NOT NULL;
        CREATE VIEW named_users AS SELECT id, name FROM users WHERE name IS NOT NULL;
        CREATE VIEW named_count AS SELECT count(*) AS n FROM named_users;
        CREATE TRIGGER users_audit AFTER UPDATE OF name ON users WHEN NEW.name IS NOT OLD.name
        BEGIN
          INSERT INTO audit (what) VALUES ('renamed ' || NEW.id);
        END;
        CREATE TRIGGER audit_guard BEFORE DELETE ON audit
        BEGIN
          SELECT RAISE(ABORT, 'audit is append-only') WHERE (SELECT count(*) FROM users) > 0;
        END;
        CREATE TRIGGER named_users_insert INSTEAD OF INSERT ON named_users
        BEGIN
          INSERT INTO users (email, name) VALUES (NEW.name || '@example.com', NEW.name);
        END;`;
      const migration = await migrate(schema('name TEXT'), schema("name TEXT NOT NULL DEFAULT 'anonymous'"), SOME_USERS.replace('NULL', "'Grace'"));
      expect(migration.left).toEqual([]);
      expect(migration.statements).toHaveLength(1);
      // Statement by statement (the first line of each), in the order they run; trigger bodies left out.
      const firsts = migration.statements[0]!.sql
        .split(';\n')
        .map((part) => part.trim().split('\n')[0])
        .filter((first) => first !== 'END');
      expect(firsts).toEqual([
        'PRAGMA foreign_keys=OFF',
        'BEGIN',
        'DROP TRIGGER audit_guard',
        'DROP TRIGGER named_users_insert',
        'DROP VIEW named_count',
        'DROP VIEW named_users',
        'CREATE TABLE new_users (',
        'INSERT INTO new_users (id, email, name)',
        'DROP TABLE users',
        'ALTER TABLE new_users RENAME TO users',
        'CREATE UNIQUE INDEX users_email ON users (lower(email))',
        'CREATE INDEX users_named ON users (name COLLATE NOCASE DESC) WHERE name IS NOT NULL',
        'CREATE VIEW named_users AS',
        'CREATE VIEW named_count AS',
        'CREATE TRIGGER audit_guard BEFORE DELETE ON audit',
        'CREATE TRIGGER named_users_insert INSTEAD OF INSERT ON named_users',
        'CREATE TRIGGER users_audit AFTER UPDATE OF name ON users',
        'COMMIT',
        'PRAGMA foreign_keys=ON;',
      ]);
      expect(await rows(migration.database, 'SELECT id, email, name FROM users ORDER BY id')).toEqual([
        { id: 1, email: 'ada@example.com', name: 'Ada' },
        { id: 2, email: 'grace@example.com', name: 'Grace' },
      ]);
      // The recreated trigger fires.
      sqlite3(migration.database, "UPDATE users SET name = 'Ada L.' WHERE id = 1;");
      expect(await rows(migration.database, 'SELECT what FROM audit')).toEqual([{ what: 'renamed 1' }]);
    });
  });

  describe('indexes', () => {
    const INDEXES: [string, string][] = [
      ['a unique index', 'CREATE UNIQUE INDEX users_email ON users (email);'],
      ['an expression index', 'CREATE INDEX users_email_domain ON users (substr(email, instr(email, \'@\')));'],
      ['a partial index', 'CREATE INDEX users_unnamed ON users (email) WHERE name IS NULL;'],
      ['an index with a collation and a descending key', 'CREATE INDEX users_name ON users (name COLLATE NOCASE, id DESC);'],
    ];

    it.each(INDEXES)('adds and drops %s', async (_name, index) => {
      const added = await migrate(USERS, `${USERS}\n${index}`, SOME_USERS);
      expect(added.statements.map((s) => s.sql)).toEqual([index.slice(0, -1)]);
      expect(added.left).toEqual([]);
      const dropped = await migrate(`${USERS}\n${index}`, USERS, SOME_USERS);
      expect(dropped.statements).toHaveLength(1);
      expect(dropped.statements[0]!.destructive).toMatch(/^drops index /);
      expect(dropped.left).toEqual([]);
    });

    it('replaces an index whose definition changes, once however many of its attributes change', async () => {
      const migration = await migrate(
        `${USERS}\nCREATE INDEX users_name ON users (name);`,
        `${USERS}\nCREATE UNIQUE INDEX users_name ON users (name DESC) WHERE name IS NOT NULL;`,
      );
      expect(migration.statements).toEqual([
        { sql: 'DROP INDEX users_name', destructive: null, hazards: [] },
        { sql: 'CREATE UNIQUE INDEX users_name ON users (name DESC) WHERE name IS NOT NULL', destructive: null, hazards: [] },
      ]);
      expect(migration.left).toEqual([]);
    });
  });

  describe('views', () => {
    it('creates a view after the views it reads', async () => {
      const migration = await migrate(USERS, `${USERS}\nCREATE VIEW b AS SELECT * FROM a WHERE id > 1;\nCREATE VIEW a AS SELECT id FROM users;`);
      expect(migration.statements.map((s) => s.sql.split('\n')[0])).toEqual(['CREATE VIEW a AS', 'CREATE VIEW b AS']);
      expect(migration.left).toEqual([]);
    });

    it('replaces a changed view, and the views that read it', async () => {
      const views = (where: string) => `${USERS}\nCREATE VIEW a AS SELECT id, name FROM users WHERE ${where};\nCREATE VIEW b AS SELECT count(*) AS n FROM a;`;
      const migration = await migrate(views('id > 1'), views('id > 2'));
      expect(migration.statements.map((s) => s.sql.split('\n')[0])).toEqual(['DROP VIEW b', 'DROP VIEW a', 'CREATE VIEW a AS', 'CREATE VIEW b AS']);
      expect(migration.left).toEqual([]);
    });

    it('lists the column names of a view that declares them', async () => {
      const migration = await migrate(USERS, `${USERS}\nCREATE VIEW contacts (user_id, address) AS SELECT id, email FROM users;`);
      expect(migration.statements[0]!.sql).toBe('CREATE VIEW contacts (user_id, address) AS\nSELECT id, email FROM users');
      expect(migration.left).toEqual([]);
    });
  });

  describe('triggers', () => {
    const AUDIT = `${USERS}\nCREATE TABLE audit (what TEXT);`;
    const TRIGGERS: [string, string][] = [
      ['BEFORE DELETE', "CREATE TRIGGER t BEFORE DELETE ON users\nBEGIN\n  INSERT INTO audit VALUES ('deleted ' || OLD.id);\nEND;"],
      ['AFTER UPDATE OF with WHEN', "CREATE TRIGGER t AFTER UPDATE OF name, email ON users FOR EACH ROW WHEN OLD.name <> NEW.name\nBEGIN\n  INSERT INTO audit VALUES ('renamed');\n  INSERT INTO audit VALUES (NEW.name);\nEND;"],
      ['INSTEAD OF INSERT on a view', "CREATE VIEW v AS SELECT * FROM users;\nCREATE TRIGGER t INSTEAD OF INSERT ON v\nBEGIN\n  INSERT INTO users (email) VALUES (NEW.email);\nEND;"],
    ];

    it.each(TRIGGERS)('adds, changes and drops a %s trigger', async (_name, trigger) => {
      const added = await migrate(AUDIT, `${AUDIT}\n${trigger}`);
      expect(added.left).toEqual([]);
      const changed = await migrate(`${AUDIT}\n${trigger}`, `${AUDIT}\n${trigger.replace('INSERT INTO', 'INSERT OR IGNORE INTO')}`);
      expect(changed.statements.map((s) => s.sql.split(' ').slice(0, 2).join(' '))).toEqual(['DROP TRIGGER', 'CREATE TRIGGER']);
      expect(changed.left).toEqual([]);
      const dropped = await migrate(`${AUDIT}\n${trigger}`, AUDIT);
      expect(dropped.statements.map((s) => s.destructive).filter((d) => d !== null)).not.toEqual([]);
      expect(dropped.left).toEqual([]);
    });
  });

  describe('virtual tables', () => {
    it('creates, and recreates a changed one (destructively: its rows are not copied)', async () => {
      const created = await migrate('', 'CREATE VIRTUAL TABLE docs USING fts5(title, body);');
      expect(created.left).toEqual([]);
      const changed = await migrate('CREATE VIRTUAL TABLE docs USING fts5(title, body);', 'CREATE VIRTUAL TABLE docs USING fts5(title, body, tags);');
      expect(changed.left).toEqual([]);
      expect(changed.statements[0]!.destructive).toBe('recreates virtual table docs: its rows are not kept');
    });
  });

  describe('the script a reviewer reads', () => {
    it('comments out destructive statements unless they are allowed, saying why', async () => {
      const database = await scratch(`${USERS}\nCREATE TABLE old_stuff (x);`);
      const target = await scratch(USERS.replace(',\n  name TEXT', ''));
      const before = await snapshotOf(database);
      const after = await snapshotOf(target);
      const statements = generateSqliteMigration(before, after, compareSnapshots(before, after).changes);
      const script = renderMigrationScript(statements, { allowDestructive: false, engine: 'sqlite' });
      expect(script).toContain('-- 2 destructive statements are commented out below');
      expect(script).toContain('-- skipped (destructive: drops table old_stuff and its rows):\n-- DROP TABLE old_stuff;');
      expect(script).toContain('-- skipped (destructive: drops column users.name and its values):\n-- ALTER TABLE users DROP COLUMN name;');
      sqlite3(database, script);
      expect(compareSnapshots(await snapshotOf(database), before).changes).toEqual([]);
    });

    it('keeps removed indexes, triggers and views the reviewer did not allow to drop, even around a rebuild', async () => {
      const extras = `
        CREATE TABLE audit (what TEXT);
        CREATE INDEX users_name ON users (name);
        CREATE TRIGGER users_audit AFTER DELETE ON users BEGIN INSERT INTO audit VALUES (OLD.email); END;
        CREATE TRIGGER audit_guard BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'no') WHERE (SELECT count(*) FROM users) > 0; END;
        CREATE VIEW named AS SELECT id, name FROM users WHERE name IS NOT NULL;`;
      const database = await scratch(`${USERS}\n${extras}`);
      const target = await scratch(`${USERS.replace('name TEXT', "name TEXT NOT NULL DEFAULT ''")}\nCREATE TABLE audit (what TEXT);`);
      const before = await snapshotOf(database);
      const after = await snapshotOf(target);
      const statements = generateSqliteMigration(before, after, compareSnapshots(before, after).changes);
      expect(statements.filter((s) => s.destructive !== null).map((s) => s.sql)).toEqual([
        'DROP INDEX users_name',
        'DROP TRIGGER audit_guard',
        'DROP TRIGGER users_audit',
        'DROP VIEW named',
      ]);
      sqlite3(database, renderMigrationScript(statements, { allowDestructive: false, engine: 'sqlite' }));
      const left = compareSnapshots(await snapshotOf(database), after).changes;
      expect(left.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
        'removed index users.users_name',
        'removed view named',
        'removed trigger audit.audit_guard',
        'removed trigger users.users_audit',
      ]);
      // What stayed is what was there before, unchanged.
      const kept = await snapshotOf(database);
      expect(kept.views).toEqual(before.views);
      expect(kept.triggers).toEqual(before.triggers);
    });

    it('leaves a table as it was, its triggers and views included, when its destructive rebuild is left out', async () => {
      const schema = (columns: string, action: string) => `
        CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE${columns});
        CREATE TABLE audit (what TEXT);
        CREATE VIEW emails AS SELECT email FROM users;
        CREATE TRIGGER users_audit AFTER DELETE ON users BEGIN INSERT INTO audit VALUES (${action}); END;`;
      const database = await scratch(schema(', name TEXT UNIQUE', "'deleted'"));
      const target = await scratch(schema('', 'OLD.email'));
      const before = await snapshotOf(database);
      const after = await snapshotOf(target);
      const statements = generateSqliteMigration(before, after, compareSnapshots(before, after).changes);
      expect(statements.map((s) => s.destructive)).toEqual(['drops column name of users and its values']);
      sqlite3(database, renderMigrationScript(statements, { allowDestructive: false, engine: 'sqlite' }));
      expect(compareSnapshots(await snapshotOf(database), before).changes).toEqual([]);
    });

    it('says a rebuild drops a removed trigger it cannot keep (it reads a column that goes)', async () => {
      const migration = await migrate(
        `${USERS}\nCREATE TABLE audit (what TEXT);\nCREATE TRIGGER users_audit AFTER DELETE ON users BEGIN INSERT INTO audit VALUES (OLD.name); END;`,
        `${USERS.replace(',\n  name TEXT', '').replace('email TEXT NOT NULL', 'email TEXT NOT NULL UNIQUE')}\nCREATE TABLE audit (what TEXT);`,
      );
      expect(migration.left).toEqual([]);
      expect(migration.statements).toHaveLength(1);
      expect(migration.statements[0]!.destructive).toBe('drops column name of users and its values; drops trigger users_audit');
    });

    it('writes every hazard as a comment above its statement', async () => {
      const database = await scratch(USERS);
      const target = await scratch(USERS.replace('name TEXT', 'name TEXT NOT NULL'));
      const before = await snapshotOf(database);
      const after = await snapshotOf(target);
      const script = renderMigrationScript(generateSqliteMigration(before, after, compareSnapshots(before, after).changes), {
        allowDestructive: false,
        engine: 'sqlite',
      });
      expect(script).toContain('-- hazard: rebuilds the table: copies every row\n-- hazard: fails if existing rows violate it: name NOT NULL\nPRAGMA foreign_keys=OFF;');
    });
  });
});
