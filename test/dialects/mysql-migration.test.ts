import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMysqlMigration } from '../../src/dialects/mysql/mysql-migration.js';
import { compareSnapshots, type DiffOptions } from '../../src/diff/diff-snapshots.js';
import { renderMigrationScript, type MigrationStatement } from '../../src/diff/migration-script.js';
import type { Change } from '../../src/diff/change.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';
import { oneChangeCases } from '../fixtures/mysql/one-change-cases.js';
import { databaseName, mariadbRun } from '../support/mysql-cli.js';
import { fixture, scratchWith, snapshotOf } from '../support/scratch.js';
import { mysqlServer } from '../support/servers.js';

/**
 * Generated MySQL/MariaDB migrations, proved on real databases: `from` and `to` are created
 * from SQL, the script generated between them is run on `from` with the `mariadb` client
 * (stopping at the first error), and `from` must then snapshot as `to`.
 */
const server = await mysqlServer();
const target: ScratchTarget = { kind: 'server', url: server.url };

/** A server-wide account for grants and definers, used by this file only and dropped after it. */
const APP = "'schemaguard_migration_app'@'%'";

interface Migration {
  readonly changes: Change[];
  readonly statements: MigrationStatement[];
  readonly script: string;
  readonly remaining: Change[];
}

async function migrate(fromSql: string, toSql: string, options: DiffOptions = {}): Promise<Migration> {
  const from = await scratchWith(target, fromSql);
  const to = await scratchWith(target, toSql);
  try {
    const before = await snapshotOf(from);
    const after = await snapshotOf(to);
    const changes = compareSnapshots(before, after, options).changes;
    const statements = generateMysqlMigration(before, after, changes);
    const script = renderMigrationScript(statements, { allowDestructive: true, engine: 'mysql' });
    // The script runs in whichever database the client selects: it never names one.
    for (const database of [databaseName(from.url), databaseName(to.url)]) expect(script).not.toContain(database);
    try {
      mariadbRun(from.url, script);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- script ---\n${script}`);
    }
    const remaining = compareSnapshots(await snapshotOf(from), after, options).changes;
    return { changes, statements, script, remaining };
  } finally {
    await Promise.all([from.dispose(), to.dispose()]);
  }
}

/** [what, from, to, diff options] */
type Case = [string, string, string, DiffOptions?];

const FILMS = `CREATE TABLE films (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(100) NOT NULL,
  rating ENUM('G','PG','R') DEFAULT 'G',
  length SMALLINT,
  note TEXT
)`;

const TABLE_CASES: Case[] = [
  [
    'a new table with every column attribute, keys, checks and options',
    '',
    `CREATE TABLE t (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
      code CHAR(3) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL COMMENT 'it''s \\\\ a code',
      price DECIMAL(8,2) NOT NULL DEFAULT 1.50,
      doubled DECIMAL(9,2) AS (price * 2) VIRTUAL,
      cents INT AS (price * 100) STORED,
      data JSON,
      touched TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
      created DATETIME(3) DEFAULT CURRENT_TIMESTAMP(3),
      tags SET('a','b') NOT NULL DEFAULT 'a,b',
      PRIMARY KEY (id),
      UNIQUE KEY t_code (code),
      KEY t_price_desc (price DESC, created) COMMENT 'by price',
      KEY t_code_prefix (code(2)) IGNORED,
      CONSTRAINT t_price_positive CHECK (price > 0)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ROW_FORMAT=DYNAMIC COMMENT='a table'`,
  ],
  ['a dropped table', `${FILMS}; CREATE TABLE gone (id INT)`, FILMS],
  ['a renamed table', 'CREATE TABLE old_name (id INT PRIMARY KEY, v VARCHAR(5))', 'CREATE TABLE new_name (id INT PRIMARY KEY, v VARCHAR(5))'],
  ['added columns, first and in the middle', FILMS, `CREATE TABLE films (
    code CHAR(2) NOT NULL DEFAULT 'xx',
    id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    title VARCHAR(100) NOT NULL,
    subtitle VARCHAR(100) COMMENT 'optional',
    rating ENUM('G','PG','R') DEFAULT 'G',
    length SMALLINT,
    note TEXT,
    added TIMESTAMP NULL DEFAULT NULL
  )`],
  ['a dropped column', FILMS, `CREATE TABLE films (id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(100) NOT NULL, rating ENUM('G','PG','R') DEFAULT 'G', length SMALLINT)`],
  ['a renamed column', 'CREATE TABLE t (id INT, old_name VARCHAR(10) NOT NULL DEFAULT \'a\')', 'CREATE TABLE t (id INT, new_name VARCHAR(10) NOT NULL DEFAULT \'a\')'],
  ['a wider type', FILMS, FILMS.replace('VARCHAR(100)', 'VARCHAR(200)').replace('SMALLINT', 'BIGINT')],
  ['a narrower type', FILMS, FILMS.replace('VARCHAR(100)', 'VARCHAR(50)').replace("ENUM('G','PG','R')", "ENUM('G','PG')").replace('TEXT', 'VARCHAR(100)')],
  ['nullability both ways', FILMS, FILMS.replace('title VARCHAR(100) NOT NULL', 'title VARCHAR(100) NULL').replace('length SMALLINT', 'length SMALLINT NOT NULL')],
  ['defaults set, changed and dropped', FILMS, FILMS.replace("DEFAULT 'G'", "DEFAULT 'PG'").replace('length SMALLINT', 'length SMALLINT DEFAULT 90')],
  ['auto-increment removed', 'CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY)', 'CREATE TABLE t (id INT NOT NULL PRIMARY KEY)'],
  ['auto-increment added', 'CREATE TABLE t (id INT NOT NULL PRIMARY KEY)', 'CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY)'],
  [
    'generated expressions, virtual and stored',
    'CREATE TABLE t (a INT, v INT AS (a + 1) VIRTUAL, s INT AS (a * 2) STORED)',
    'CREATE TABLE t (a INT, v INT AS (a + 2) VIRTUAL, s INT AS (a * 3) STORED)',
  ],
  [
    'a column collation and character set',
    'CREATE TABLE t (a VARCHAR(10) COLLATE utf8mb4_general_ci, b VARCHAR(10) CHARACTER SET latin1)',
    'CREATE TABLE t (a VARCHAR(10) COLLATE utf8mb4_bin, b VARCHAR(10) CHARACTER SET utf8mb4)',
  ],
  [
    'on update added and removed',
    'CREATE TABLE t (a TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, b DATETIME DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP)',
    'CREATE TABLE t (a TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, b DATETIME DEFAULT NULL)',
  ],
  ['a column comment', FILMS, FILMS.replace('length SMALLINT', "length SMALLINT COMMENT 'minutes'")],
  [
    'column order (with strict column order)',
    'CREATE TABLE t (a INT, b INT, c INT, d INT)',
    'CREATE TABLE t (d INT, a INT, c INT, b INT)',
    { strictColumnOrder: true },
  ],
  ['a primary key added', 'CREATE TABLE t (id INT NOT NULL, v INT)', 'CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)'],
  ['a primary key changed', 'CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a))', 'CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b))'],
  [
    'a primary key on an auto-increment column dropped with its column',
    'CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, code INT NOT NULL)',
    'CREATE TABLE t (code INT NOT NULL PRIMARY KEY)',
  ],
  [
    'indexes: unique, fulltext, spatial, prefix, descending, ignored, comment',
    'CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(50) NOT NULL, b INT, p POINT NOT NULL, KEY t_b (b))',
    `CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(50) NOT NULL, b INT, p POINT NOT NULL,
      UNIQUE KEY t_a (a), FULLTEXT KEY t_a_ft (a), SPATIAL KEY t_p (p), KEY t_a_prefix (a(5)),
      KEY t_b (b DESC, a) COMMENT 'changed', KEY t_b_ignored (b) IGNORED)`,
  ],
  ['a renamed index', 'CREATE TABLE t (a INT, KEY old_idx (a))', 'CREATE TABLE t (a INT, KEY new_idx (a))'],
  ['a hash index on a MEMORY table', 'CREATE TABLE t (a INT, KEY t_a (a)) ENGINE=MEMORY', 'CREATE TABLE t (a INT, KEY t_a (a) USING HASH, KEY t_b (a) USING BTREE) ENGINE=MEMORY'],
  [
    'foreign keys added, dropped and changed',
    'CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (id INT PRIMARY KEY, p1 INT, p2 INT, CONSTRAINT c_p1 FOREIGN KEY (p1) REFERENCES p (id), CONSTRAINT c_p2 FOREIGN KEY (p2) REFERENCES p (id))',
    'CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (id INT PRIMARY KEY, p1 INT, p2 INT, p3 INT, KEY c_p2 (p2), CONSTRAINT c_p1 FOREIGN KEY (p1) REFERENCES p (id) ON DELETE CASCADE, CONSTRAINT c_p3 FOREIGN KEY (p3) REFERENCES p (id) ON DELETE SET NULL)',
  ],
  [
    'a referenced column that changes type (its foreign keys are dropped and added back)',
    'CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE c (p_id INT, CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id))',
    'CREATE TABLE p (id BIGINT PRIMARY KEY); CREATE TABLE c (p_id BIGINT, CONSTRAINT c_p FOREIGN KEY (p_id) REFERENCES p (id))',
  ],
  [
    'new tables referencing each other',
    '',
    'CREATE TABLE a (id INT PRIMARY KEY, b_id INT); CREATE TABLE b (id INT PRIMARY KEY, a_id INT, CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id)); ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id)',
  ],
  [
    'dropped tables referencing each other',
    'CREATE TABLE a (id INT PRIMARY KEY, b_id INT); CREATE TABLE b (id INT PRIMARY KEY, a_id INT, CONSTRAINT b_a FOREIGN KEY (a_id) REFERENCES a (id)); ALTER TABLE a ADD CONSTRAINT a_b FOREIGN KEY (b_id) REFERENCES b (id); CREATE TABLE keep (id INT)',
    'CREATE TABLE keep (id INT)',
  ],
  [
    'checks added, dropped and changed',
    'CREATE TABLE t (a INT, b INT, CONSTRAINT t_a CHECK (a > 0), CONSTRAINT t_b CHECK (b > 0))',
    'CREATE TABLE t (a INT, b INT, CONSTRAINT t_a CHECK (a >= 0), CONSTRAINT t_ab CHECK (a < b))',
  ],
  // MariaDB keeps a check written on a column as part of the column: MODIFY takes it away.
  ['a column check whose column is renamed', 'CREATE TABLE t (a INT CHECK (a > 0))', 'CREATE TABLE t (b INT CHECK (b > 0))'],
  ['a column check kept while its column changes type', 'CREATE TABLE t (a INT CHECK (a > 0))', 'CREATE TABLE t (a BIGINT CHECK (a > 0))'],
  ['a column check kept while its column is narrowed', 'CREATE TABLE t (a BIGINT CHECK (a > 0))', 'CREATE TABLE t (a INT CHECK (a > 0))'],
  ['a column check changed', 'CREATE TABLE t (a INT CHECK (a > 0))', 'CREATE TABLE t (a INT CHECK (a > 1))'],
  ['a column check dropped', 'CREATE TABLE t (a INT CHECK (a > 0), b INT, CONSTRAINT b CHECK (b > 0))', 'CREATE TABLE t (a INT, b INT)'],
  [
    'partitioning added',
    'CREATE TABLE t (id INT NOT NULL, y INT NOT NULL, PRIMARY KEY (id, y))',
    'CREATE TABLE t (id INT NOT NULL, y INT NOT NULL, PRIMARY KEY (id, y)) PARTITION BY RANGE (y) (PARTITION p0 VALUES LESS THAN (2000) COMMENT \'old\', PARTITION p1 VALUES LESS THAN MAXVALUE)',
  ],
  [
    'partitioning changed and a key changed with it',
    'CREATE TABLE t (id INT NOT NULL, y INT NOT NULL, PRIMARY KEY (id, y)) PARTITION BY HASH (y) PARTITIONS 2',
    'CREATE TABLE t (id INT NOT NULL, y INT NOT NULL, PRIMARY KEY (id)) PARTITION BY KEY (id) PARTITIONS 3',
  ],
  ['partitioning removed', 'CREATE TABLE t (id INT NOT NULL PRIMARY KEY) PARTITION BY KEY (id) PARTITIONS 2', 'CREATE TABLE t (id INT NOT NULL PRIMARY KEY)'],
  [
    'subpartitions and list columns',
    'CREATE TABLE t (d DATE NOT NULL, c CHAR(2) NOT NULL)',
    `CREATE TABLE t (d DATE NOT NULL, c CHAR(2) NOT NULL) PARTITION BY RANGE (YEAR(d)) SUBPARTITION BY HASH (TO_DAYS(d)) SUBPARTITIONS 2
      (PARTITION a VALUES LESS THAN (2020) COMMENT 'x', PARTITION b VALUES LESS THAN MAXVALUE)`,
  ],
  [
    'table options: engine, character set and collation, row format, comment',
    "CREATE TABLE t (id INT) ENGINE=MyISAM DEFAULT CHARSET=latin1 ROW_FORMAT=COMPACT COMMENT='before'",
    'CREATE TABLE t (id INT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=DYNAMIC',
  ],
  [
    'table options set and taken back out (some only by =0)',
    'CREATE TABLE t (id INT) ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8 STATS_PERSISTENT=1 PACK_KEYS=1 CHECKSUM=1 DELAY_KEY_WRITE=1 MAX_ROWS=100',
    'CREATE TABLE t (id INT) STATS_AUTO_RECALC=0 MIN_ROWS=5 AVG_ROW_LENGTH=10',
  ],
  ['system versioning added', 'CREATE TABLE t (id INT)', 'CREATE TABLE t (id INT) WITH SYSTEM VERSIONING'],
  ['a JSON column added', 'CREATE TABLE t (id INT)', 'CREATE TABLE t (id INT, doc JSON NOT NULL)'],
];

const VIEW_CASES: Case[] = [
  [
    'views created in dependency order, a table replaced by a view',
    `${FILMS}; CREATE TABLE a_view (x INT)`,
    `${FILMS}; CREATE VIEW z_base AS SELECT id, title FROM films; CREATE VIEW a_view AS SELECT title FROM z_base WHERE id > 1`,
  ],
  [
    'a changed view definition, security, algorithm and check option; a view dropped',
    `${FILMS}; CREATE VIEW v AS SELECT id FROM films; CREATE VIEW gone AS SELECT 1 AS one`,
    `${FILMS}; CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v AS SELECT id, title FROM films WHERE length > 10 WITH CASCADED CHECK OPTION`,
  ],
  [
    'a view over a table column that changes type',
    'CREATE TABLE t (a INT); CREATE VIEW v AS SELECT a FROM t',
    'CREATE TABLE t (a BIGINT); CREATE VIEW v AS SELECT a FROM t',
  ],
];

const ROUTINE_CASES: Case[] = [
  [
    'a procedure with a compound body',
    FILMS,
    `${FILMS}; CREATE PROCEDURE add_film(IN p_title VARCHAR(100), OUT p_id INT) MODIFIES SQL DATA COMMENT 'adds; returns id'
      BEGIN
        INSERT INTO films (title) VALUES (p_title);
        SET p_id = LAST_INSERT_ID();
      END`,
  ],
  [
    'a function body changed, another dropped, a third with new parameters',
    "CREATE FUNCTION f(a INT) RETURNS INT DETERMINISTIC RETURN a + 1; CREATE FUNCTION gone() RETURNS INT RETURN 1; CREATE FUNCTION g(a INT) RETURNS INT RETURN a",
    "CREATE FUNCTION f(a INT) RETURNS INT DETERMINISTIC RETURN a + 2; CREATE FUNCTION g(a BIGINT, b BIGINT) RETURNS BIGINT RETURN a + b",
  ],
  [
    'a routine comment, security and data access (ALTER)',
    'CREATE PROCEDURE p() SELECT 1',
    "CREATE PROCEDURE p() READS SQL DATA SQL SECURITY INVOKER COMMENT 'one' SELECT 1",
  ],
  [
    'a routine created under another sql_mode',
    'SELECT 1',
    "SET SESSION sql_mode = 'ANSI_QUOTES'; CREATE FUNCTION q() RETURNS VARCHAR(5) RETURN 'a;b'",
  ],
];

const TRIGGER_CASES: Case[] = [
  [
    'triggers added, changed and dropped',
    `${FILMS}; CREATE TRIGGER films_bi BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 1; CREATE TRIGGER films_bd BEFORE DELETE ON films FOR EACH ROW SET @x = 1`,
    `${FILMS}; CREATE TRIGGER films_bi BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 2;
      CREATE TRIGGER films_au AFTER UPDATE ON films FOR EACH ROW BEGIN SET @a = 1; SET @b = 2; END`,
  ],
  [
    'trigger order: one added before and one between existing ones',
    `${FILMS}; CREATE TRIGGER t1 BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 1; CREATE TRIGGER t3 BEFORE INSERT ON films FOR EACH ROW FOLLOWS t1 SET NEW.length = 3`,
    `${FILMS}; CREATE TRIGGER t0 BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 0; CREATE TRIGGER t1 BEFORE INSERT ON films FOR EACH ROW FOLLOWS t0 SET NEW.length = 1;
      CREATE TRIGGER t2 BEFORE INSERT ON films FOR EACH ROW FOLLOWS t1 SET NEW.length = 2; CREATE TRIGGER t3 BEFORE INSERT ON films FOR EACH ROW FOLLOWS t2 SET NEW.length = 3`,
  ],
  [
    'trigger order swapped',
    `${FILMS}; CREATE TRIGGER t1 BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 1; CREATE TRIGGER t2 BEFORE INSERT ON films FOR EACH ROW FOLLOWS t1 SET NEW.length = 2`,
    `${FILMS}; CREATE TRIGGER t2 BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 2; CREATE TRIGGER t1 BEFORE INSERT ON films FOR EACH ROW FOLLOWS t2 SET NEW.length = 1`,
  ],
  [
    'a trigger on a renamed table',
    'CREATE TABLE old_t (a INT); CREATE TRIGGER tr BEFORE INSERT ON old_t FOR EACH ROW SET NEW.a = 1',
    'CREATE TABLE new_t (a INT); CREATE TRIGGER tr BEFORE INSERT ON new_t FOR EACH ROW SET NEW.a = 1',
  ],
];

const EVENT_CASES: Case[] = [
  [
    'events added, altered and dropped',
    `${FILMS}; CREATE EVENT e1 ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DISABLE DO DELETE FROM films;
      CREATE EVENT gone ON SCHEDULE AT '2030-01-01 00:00:00' DO SELECT 1`,
    `${FILMS}; CREATE EVENT e1 ON SCHEDULE EVERY 2 HOUR STARTS '2030-01-02 00:00:00' ON COMPLETION PRESERVE ENABLE COMMENT 'purge' DO BEGIN DELETE FROM films; DELETE FROM films; END;
      CREATE EVENT e2 ON SCHEDULE EVERY '1:30' HOUR_MINUTE STARTS '2030-01-01 00:00:00' ENDS '2031-01-01 00:00:00' DO SELECT 1`,
  ],
];

const SEQUENCE_CASES: Case[] = [
  [
    'a sequence created for a default, another altered and a third dropped',
    'CREATE SEQUENCE s2 INCREMENT BY 1; CREATE SEQUENCE gone; CREATE TABLE t (id INT)',
    "CREATE SEQUENCE s1 START WITH 100 INCREMENT BY 5 MINVALUE 100 MAXVALUE 1000 CACHE 10 CYCLE COMMENT 'ids'; CREATE SEQUENCE s2 INCREMENT BY 2 NOCACHE; CREATE TABLE t (id INT DEFAULT NEXTVAL(s1))",
  ],
];

const GRANT_CASES: Case[] = [
  [
    'grants on the database, tables and views: granted, revoked, with grant option',
    `${FILMS}; CREATE VIEW v AS SELECT id FROM films; GRANT SELECT ON * TO ${APP}; GRANT INSERT ON films TO ${APP} WITH GRANT OPTION`,
    `${FILMS}; CREATE VIEW v AS SELECT id FROM films; GRANT SELECT, SHOW VIEW ON * TO ${APP}; GRANT UPDATE ON films TO ${APP}; GRANT SELECT ON v TO ${APP} WITH GRANT OPTION`,
  ],
  ['grants on a new table', '', `${FILMS}; GRANT SELECT, DELETE ON films TO ${APP}`],
  [
    'definers of a view, a routine, a trigger and an event',
    `${FILMS}; CREATE VIEW v AS SELECT id FROM films; CREATE PROCEDURE p() SELECT 1; CREATE TRIGGER tr BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 1;
      CREATE EVENT e ON SCHEDULE AT '2030-01-01 00:00:00' DO SELECT 1`,
    `${FILMS}; CREATE DEFINER = ${APP} VIEW v AS SELECT id FROM films; CREATE DEFINER = ${APP} PROCEDURE p() SELECT 1;
      CREATE DEFINER = ${APP} TRIGGER tr BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 1;
      CREATE DEFINER = ${APP} EVENT e ON SCHEDULE AT '2030-01-01 00:00:00' DO SELECT 1`,
  ],
  ['the database comment', 'SELECT 1', "ALTER DATABASE COMMENT 'the comment'"],
];

async function runAsAdmin(sql: string): Promise<void> {
  const admin = await scratchWith(target);
  try {
    await admin.connection.executeScript(sql);
  } finally {
    await admin.dispose();
  }
}

/** Every object kind at once: the snapshot tests' fixture, built from nothing and taken down again. */
const WHOLE_SCHEMA_CASES: Case[] = [
  ['every object kind, from an empty database', 'SELECT 1', fixture('mysql/all-kinds.sql')],
  ['every object kind, dropped', fixture('mysql/all-kinds.sql'), 'SELECT 1'],
];

describe.skipIf(!server.available)('generated MySQL/MariaDB migrations, applied with the mariadb client', () => {
  beforeAll(() => runAsAdmin(`CREATE USER IF NOT EXISTS ${APP}`));
  afterAll(() => runAsAdmin(`DROP USER IF EXISTS ${APP}`));

  describe.each([
    ['tables', TABLE_CASES],
    ['views', VIEW_CASES],
    ['routines', ROUTINE_CASES],
    ['triggers', TRIGGER_CASES],
    ['events', EVENT_CASES],
    ['sequences', SEQUENCE_CASES],
    ['grants, definers and the database', GRANT_CASES],
    ['whole schemas', WHOLE_SCHEMA_CASES],
  ])('%s', (_group, cases) => {
    it.each(cases)('%s', async (_what, fromSql, toSql, options) => {
      const result = await migrate(fromSql, toSql, options);
      expect(result.changes.length).toBeGreaterThan(0);
      expect(result.remaining, result.script).toEqual([]);
    });
  });
});

/** The statements between two schemas, without running them. */
async function plan(fromSql: string, toSql: string): Promise<{ statements: MigrationStatement[]; from: string }> {
  const from = await scratchWith(target, fromSql);
  const to = await scratchWith(target, toSql);
  try {
    const before = await snapshotOf(from);
    const after = await snapshotOf(to);
    return { statements: generateMysqlMigration(before, after, compareSnapshots(before, after).changes), from: fromSql };
  } finally {
    await Promise.all([from.dispose(), to.dispose()]);
  }
}

const destructiveOf = (statements: readonly MigrationStatement[]) => statements.filter((s) => s.destructive !== null).map((s) => s.destructive);

describe.skipIf(!server.available)('what a generated MySQL/MariaDB migration tells the reviewer', () => {
  it('comments out destructive statements unless allowed, and the rest still runs', async () => {
    const toSql = FILMS.replace('note TEXT', 'note TEXT, added INT');
    const { statements } = await plan(`${FILMS}; CREATE TABLE gone (id INT)`, toSql.replace('length SMALLINT,', ''));
    const script = renderMigrationScript(statements, { allowDestructive: false, engine: 'mysql' });
    expect(script).toContain('-- 2 destructive statements are commented out below');
    expect(script).toContain('-- skipped (destructive: drops column films.length and its values):\n-- ALTER TABLE `films`\n--   DROP COLUMN `length`;');
    expect(script).toContain('-- skipped (destructive: drops table gone and its rows):\n-- DROP TABLE `gone`;');
    expect(script).toMatch(/^ALTER TABLE `films`\n {2}ADD COLUMN `added` int\(11\) NULL DEFAULT NULL AFTER `note`;$/m);

    const from = await scratchWith(target, `${FILMS}; CREATE TABLE gone (id INT)`);
    const to = await scratchWith(target, toSql.replace('length SMALLINT,', ''));
    try {
      mariadbRun(from.url, script);
      const left = compareSnapshots(await snapshotOf(from), await snapshotOf(to)).changes;
      expect(left.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual(['removed column films.length', 'removed table gone']);
    } finally {
      await Promise.all([from.dispose(), to.dispose()]);
    }
  });

  it('calls drops and narrowed types destructive, and re-creations not', async () => {
    const { statements } = await plan(
      `${FILMS}; CREATE VIEW v AS SELECT id FROM films; CREATE FUNCTION f() RETURNS INT RETURN 1; CREATE FUNCTION g() RETURNS INT RETURN 1;
        CREATE TRIGGER tr BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 1; CREATE VIEW gone AS SELECT 1 AS one`,
      `${FILMS.replace('VARCHAR(100)', 'VARCHAR(20)').replace("ENUM('G','PG','R')", "ENUM('G','R')").replace('SMALLINT', 'TINYINT').replace('TEXT', 'VARCHAR(255)')};
        CREATE VIEW v AS SELECT id, title FROM films; CREATE FUNCTION f() RETURNS INT RETURN 2;
        CREATE TRIGGER tr BEFORE INSERT ON films FOR EACH ROW SET NEW.length = 2`,
    );
    expect(destructiveOf(statements)).toEqual([
      'drops view gone',
      'drops function g',
      'narrows varchar(100) to varchar(20) (title); removes enum value \'PG\' (rating); narrows smallint(6) to tinyint(4) (length); narrows text to varchar(255) (note)',
    ]);
    expect(statements.find((s) => s.sql.startsWith('DROP TRIGGER'))?.destructive).toBeNull();
    expect(statements.find((s) => s.sql === 'DROP FUNCTION `f`')?.destructive).toBeNull();
  });

  it('writes hazards for rebuilds and for checks existing rows may fail', async () => {
    const { statements } = await plan(
      'CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (id INT, a INT, b VARCHAR(10), p_id INT)',
      'CREATE TABLE p (id INT PRIMARY KEY); CREATE TABLE t (id INT, a BIGINT NOT NULL, b VARCHAR(10), p_id INT, UNIQUE KEY t_b (b), CONSTRAINT t_a CHECK (a > 0), CONSTRAINT t_p FOREIGN KEY (p_id) REFERENCES p (id))',
    );
    const script = renderMigrationScript(statements, { allowDestructive: false, engine: 'mysql' });
    expect(script).toContain('-- hazard: rebuilds the table (ALGORITHM=COPY) and blocks writes\n');
    expect(script).toContain('-- hazard: fails if existing rows violate it (NULL in a)\n');
    expect(script).toContain('-- hazard: fails on duplicates\n');
    expect(script).toMatch(/-- hazard: fails if existing rows violate it\nALTER TABLE `t`\n {2}ADD CONSTRAINT `t_p` FOREIGN KEY/);
  });

  it('wraps routine, trigger and event bodies in DELIMITER blocks the client runs, with no stray semicolon', async () => {
    const { statements } = await plan('CREATE TABLE t (a INT)', 'CREATE TABLE t (a INT); CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; SET @x = 2; END');
    const script = renderMigrationScript(statements, { allowDestructive: true, engine: 'mysql' });
    expect(script).toContain('DELIMITER //\nCREATE DEFINER=');
    expect(script).toContain('END//\nDELIMITER ;\n');
    expect(script).not.toContain('DELIMITER ;;');
  });

  it('never names the database', async () => {
    const from = await scratchWith(target, FILMS);
    const to = await scratchWith(target, `${FILMS}; CREATE VIEW v AS SELECT id FROM films; CREATE TABLE c (f INT UNSIGNED, CONSTRAINT c_f FOREIGN KEY (f) REFERENCES films (id))`);
    try {
      const before = await snapshotOf(from);
      const after = await snapshotOf(to);
      const script = renderMigrationScript(generateMysqlMigration(before, after, compareSnapshots(before, after).changes), { allowDestructive: true, engine: 'mysql' });
      for (const scratch of [from, to]) expect(script).not.toContain(databaseName(scratch.url));
    } finally {
      await Promise.all([from.dispose(), to.dispose()]);
    }
  });
});

describe.skipIf(!server.available)('every one-change case of the snapshot tests, migrated forward and back', () => {
  // Its own account: test files run in parallel, and each drops the accounts it made.
  const SNAPSHOT_APP = "'schemaguard_migration_chain'@'%'";
  const GRANTS = `GRANT SELECT, SHOW VIEW ON * TO ${SNAPSHOT_APP}; GRANT INSERT, UPDATE ON films TO ${SNAPSHOT_APP} WITH GRANT OPTION;`;
  beforeAll(() => runAsAdmin(`CREATE USER IF NOT EXISTS ${SNAPSHOT_APP}`));
  afterAll(() => runAsAdmin(`DROP USER IF EXISTS ${SNAPSHOT_APP}`));

  /**
   * `live` takes each change as written; `migrated` follows only through generated scripts:
   * to the new state, back to the previous one, and forward again. The cases build on each
   * other, so they run in order on the same two databases.
   */
  let live: ScratchDatabase;
  let migrated: ScratchDatabase;
  let previous: SchemaSnapshot;
  beforeAll(async () => {
    live = await scratchWith(target, `${fixture('mysql/all-kinds.sql')}\n${GRANTS}`);
    migrated = await scratchWith(target, `${fixture('mysql/all-kinds.sql')}\n${GRANTS}`);
    previous = await snapshotOf(live);
  });
  afterAll(async () => {
    await Promise.all([live?.dispose(), migrated?.dispose()]);
  });

  async function step(goal: SchemaSnapshot): Promise<string[]> {
    const current = await snapshotOf(migrated);
    const script = renderMigrationScript(generateMysqlMigration(current, goal, compareSnapshots(current, goal).changes), {
      allowDestructive: true,
      engine: 'mysql',
    });
    try {
      mariadbRun(migrated.url, script);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${script}`);
    }
    return compareSnapshots(await snapshotOf(migrated), goal).changes.map((c) => `${c.action} ${c.kind} ${c.name}`);
  }

  it.each(oneChangeCases(SNAPSHOT_APP))('%s', async (_what, statement) => {
    await live.connection.executeScript(statement);
    const next = await snapshotOf(live);
    expect(await step(next), 'forward').toEqual([]);
    expect(await step(previous), 'back').toEqual([]);
    expect(await step(next), 'forward again').toEqual([]);
    previous = next;
  });
});
