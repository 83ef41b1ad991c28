import { describe, expect, it } from 'vitest';
import type { FindingDraft, LintStep, ParsedStatement } from '../../src/checks/lint/lint-rule.js';
import { parseStatements } from '../../src/checks/lint/parse-mysql.js';
import { MYSQL_STATEMENT_RULES } from '../../src/checks/lint/rules/statement-mysql.js';
import { diffSnapshots } from '../../src/diff/diff-snapshots.js';
import { splitStatements } from '../../src/migrations/split-statements.js';
import type { ScratchTarget } from '../../src/scratch/scratch-target.js';
import { lintSql, type LintSqlResult } from '../support/lint.js';
import { scratchWith, snapshotOf } from '../support/scratch.js';
import { mysqlServer } from '../support/servers.js';

/**
 * The MySQL/MariaDB statement rules beyond their documented examples (which
 * rule-examples.mysql.test.ts runs): the variants each rule must tell apart, on the real
 * server. Rules that depend on the server version are also run on the real snapshots of a
 * step with another version and product written in, since one server cannot be both.
 */

const server = await mysqlServer();
const scratch: ScratchTarget = { kind: 'server', url: server.url };

const MYSQL_RULE_IDS = new Set(MYSQL_STATEMENT_RULES.map((rule) => rule.id));

/** The MySQL statement rules a lint run reported, sorted, with repeats. */
const mysqlRules = (result: LintSqlResult): string[] => result.findings.map((f) => f.rule).filter((id) => MYSQL_RULE_IDS.has(id)).sort();

const lint = (setup: string, migration: string): Promise<LintSqlResult> => lintSql({ engine: 'mysql', scratch, setup, migration });

const ORDERS = `CREATE TABLE orders (
  id BIGINT PRIMARY KEY,
  customer_id INT(11) NOT NULL,
  status ENUM('new', 'paid', 'shipped') NOT NULL DEFAULT 'new',
  flags SET('gift', 'rush') NOT NULL DEFAULT '',
  reference VARCHAR(20) NOT NULL,
  note VARCHAR(40) NULL,
  code VARCHAR(100) CHARACTER SET latin1 NULL,
  legacy VARCHAR(10) CHARACTER SET utf8mb3 NULL,
  body TEXT NULL
) DEFAULT CHARSET=utf8mb4;`;

interface StepServer {
  readonly product: 'MySQL' | 'MariaDB';
  readonly version: string;
}

/**
 * A lint step built from the real snapshots before and after `migration` (applied unless
 * `apply` is false), reporting `as` for the server: what the lint engine would hand the
 * rules on that server, for the rules that read the version.
 */
async function stepOn(setup: string, migration: string, as: StepServer, apply = true): Promise<{ step: LintStep; parsed: ParsedStatement[] }> {
  const database = await scratchWith(scratch, setup);
  try {
    const before = await snapshotOf(database);
    if (apply) await database.connection.executeScript(migration);
    const after = await snapshotOf(database);
    const changes = diffSnapshots(before, after);
    const { statements } = splitStatements(migration, 'mysql');
    const step: LintStep = {
      engine: 'mysql',
      serverVersion: as.version,
      product: as.product,
      file: '0002_change.up.sql',
      statements,
      before,
      after,
      changes,
      createdHere: new Set(changes.filter((c) => c.action === 'added').map((c) => c.name)),
      transactional: true,
    };
    return { step, parsed: parseStatements(statements, as.product) };
  } finally {
    await database.dispose();
  }
}

function findingsOf(step: LintStep, parsed: readonly ParsedStatement[]): (FindingDraft & { rule: string })[] {
  return MYSQL_STATEMENT_RULES.flatMap((rule) => rule.check(step, parsed).map((draft) => ({ ...draft, rule: rule.id })));
}

const rulesOn = async (setup: string, migration: string, as: StepServer): Promise<string[]> => {
  const { step, parsed } = await stepOn(setup, migration, as);
  return findingsOf(step, parsed).map((f) => f.rule);
};

describe('the MySQL statement rules', () => {
  it('have mysql- kebab-case ids, run on MySQL only, and document summary, why and instead', () => {
    for (const rule of MYSQL_STATEMENT_RULES) {
      expect(rule.id).toMatch(/^mysql(-[a-z0-9]+)+$/);
      expect(rule.engines).toEqual(['mysql']);
      expect(rule.kind).toBe('statement');
      for (const text of [rule.docs.summary, rule.docs.why, rule.docs.instead]) expect(text.length).toBeGreaterThan(20);
    }
    expect(MYSQL_STATEMENT_RULES.length).toBeGreaterThanOrEqual(10);
  });
});

describe.skipIf(!server.available)('MySQL statement rules on the MySQL/MariaDB server', () => {
  describe('mysql-enum-set-changed', () => {
    it('reports an ENUM that loses a value, and says which', async () => {
      const result = await lint(ORDERS, "ALTER TABLE orders MODIFY status ENUM('new', 'paid') NOT NULL DEFAULT 'new';");
      expect(mysqlRules(result)).toEqual(['mysql-enum-set-changed']);
      expect(result.findings.find((f) => f.rule === 'mysql-enum-set-changed')).toMatchObject({ object: 'orders.status', severity: 'error', line: 1 });
      expect(result.findings.find((f) => f.rule === 'mysql-enum-set-changed')!.message).toContain("removes 'shipped'");
    });

    it('reports an ENUM whose values change order', async () => {
      const result = await lint(ORDERS, "ALTER TABLE orders CHANGE status state ENUM('paid', 'new', 'shipped') NOT NULL DEFAULT 'new';");
      expect(mysqlRules(result)).toEqual(['mysql-enum-set-changed']);
      expect(result.findings.find((f) => f.rule === 'mysql-enum-set-changed')!.message).toContain('reorders');
    });

    it('does not report a SET member appended at the end', async () => {
      expect(mysqlRules(await lint(ORDERS, "ALTER TABLE orders MODIFY flags SET('gift', 'rush', 'fragile') NOT NULL DEFAULT '';"))).toEqual([]);
    });

    it('reports a SET that grows past 8 members, which widens the stored bit mask', async () => {
      const members = ['gift', 'rush', 'a', 'b', 'c', 'd', 'e', 'f', 'g'].map((m) => `'${m}'`).join(', ');
      const result = await lint(ORDERS, `ALTER TABLE orders MODIFY flags SET(${members}) NOT NULL DEFAULT '';`);
      expect(mysqlRules(result)).toEqual(['mysql-enum-set-changed']);
      expect(result.findings.find((f) => f.rule === 'mysql-enum-set-changed')!.message).toContain('from 1 to 2 bytes');
    });
  });

  describe('mysql-column-type-changed', () => {
    it('does not report a rename, a new default, comment or nullability with the same type', async () => {
      const migration = "ALTER TABLE orders CHANGE reference order_reference VARCHAR(20) NOT NULL DEFAULT '' COMMENT 'shown to customers', MODIFY note VARCHAR(40) NOT NULL DEFAULT '';";
      expect(mysqlRules(await lint(ORDERS, migration))).toEqual([]);
    });

    it('does not report a new integer display width', async () => {
      expect(mysqlRules(await lint(ORDERS, 'ALTER TABLE orders MODIFY customer_id INT(10) NOT NULL;'))).toEqual([]);
    });

    it('reports a utf8mb4 VARCHAR that crosses 255 bytes from 128 or more (40 to 80 characters)', async () => {
      const result = await lint(ORDERS, 'ALTER TABLE orders MODIFY note VARCHAR(80) NULL;');
      expect(mysqlRules(result)).toEqual(['mysql-column-type-changed']);
      expect(result.findings.find((f) => f.rule === 'mysql-column-type-changed')).toMatchObject({ object: 'orders.note', severity: 'error' });
    });

    it('reports a shorter VARCHAR and VARCHAR to TEXT', async () => {
      expect(mysqlRules(await lint(ORDERS, 'ALTER TABLE orders MODIFY reference VARCHAR(10) NOT NULL;'))).toEqual(['mysql-column-type-changed']);
      expect(mysqlRules(await lint(ORDERS, 'ALTER TABLE orders MODIFY note TEXT NULL;'))).toEqual(['mysql-column-type-changed']);
    });

    it('on MariaDB 10.4+ does not report a VARCHAR of at most 127 bytes growing past 255, nor utf8mb3 to utf8mb4', async () => {
      const migration = 'ALTER TABLE orders MODIFY code VARCHAR(300) CHARACTER SET latin1 NULL, MODIFY legacy VARCHAR(10) CHARACTER SET utf8mb4 NULL;';
      expect(await rulesOn(ORDERS, migration, { product: 'MariaDB', version: '10.11.9' })).toEqual([]);
    });

    it('on MySQL reports the same VARCHAR growth past 255 bytes and the character set change', async () => {
      const migration = 'ALTER TABLE orders MODIFY code VARCHAR(300) CHARACTER SET latin1 NULL, MODIFY legacy VARCHAR(10) CHARACTER SET utf8mb4 NULL;';
      const { step, parsed } = await stepOn(ORDERS, migration, { product: 'MySQL', version: '8.0.36' });
      const findings = findingsOf(step, parsed);
      expect(findings.map((f) => [f.rule, f.object])).toEqual([
        ['mysql-column-type-changed', 'orders.code'],
        ['mysql-column-type-changed', 'orders.legacy'],
      ]);
      expect(findings[1]!.message).toContain('changes character set from utf8mb3 to utf8mb4');
    });

    it('does not report a VARCHAR growing within 255 bytes on MySQL', async () => {
      expect(await rulesOn(ORDERS, 'ALTER TABLE orders MODIFY reference VARCHAR(63) NOT NULL;', { product: 'MySQL', version: '8.0.36' })).toEqual([]);
    });
  });

  describe('mysql-add-column-not-last', () => {
    const AFTER = 'ALTER TABLE orders ADD COLUMN channel VARCHAR(10) NULL AFTER customer_id;';

    it('reports ADD COLUMN … AFTER on MySQL 8.0.28 and FIRST on MariaDB 10.3', async () => {
      const { step, parsed } = await stepOn(ORDERS, AFTER, { product: 'MySQL', version: '8.0.28' });
      expect(findingsOf(step, parsed)).toEqual([expect.objectContaining({ rule: 'mysql-add-column-not-last', object: 'orders.channel', table: 'orders', onNewObject: false })]);
      expect(await rulesOn(ORDERS, 'ALTER TABLE orders ADD COLUMN channel VARCHAR(10) NULL FIRST;', { product: 'MariaDB', version: '10.3.39' })).toEqual(['mysql-add-column-not-last']);
    });

    it('does not report it on MySQL 8.0.29+ and MariaDB 10.4+, which add columns instantly anywhere', async () => {
      expect(await rulesOn(ORDERS, AFTER, { product: 'MySQL', version: '8.0.29' })).toEqual([]);
      expect(await rulesOn(ORDERS, AFTER, { product: 'MariaDB', version: '10.4.0' })).toEqual([]);
      expect(mysqlRules(await lint(ORDERS, AFTER))).toEqual([]);
    });

    it('does not report a column added at the end, or AFTER the last column', async () => {
      const migration = 'ALTER TABLE orders ADD COLUMN channel VARCHAR(10) NULL, ADD COLUMN region VARCHAR(10) NULL AFTER channel;\nALTER TABLE orders ADD COLUMN source VARCHAR(10) NULL AFTER body;';
      expect(await rulesOn(ORDERS, migration, { product: 'MySQL', version: '8.0.28' })).toEqual([]);
    });
  });

  describe('mysql-algorithm-copy', () => {
    it('reads LOCK=EXCLUSIVE from the tokens of an ALTER TABLE node-sql-parser cannot read', async () => {
      const result = await lint(ORDERS, "ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'none', LOCK=EXCLUSIVE;");
      expect(mysqlRules(result)).toEqual(['mysql-algorithm-copy']);
      expect(result.findings.find((f) => f.rule === 'mysql-algorithm-copy')!.message).toContain('LOCK=EXCLUSIVE');
    });

    it("reports SET SESSION alter_algorithm = 'COPY'", async () => {
      expect(mysqlRules(await lint(ORDERS, "SET SESSION alter_algorithm = 'COPY';\nALTER TABLE orders ADD COLUMN channel VARCHAR(10) NULL;"))).toEqual(['mysql-algorithm-copy']);
    });

    it('reports CREATE INDEX … LOCK=SHARED, and not also as an index without ALGORITHM', async () => {
      expect(mysqlRules(await lint(ORDERS, 'CREATE INDEX orders_customer_idx ON orders (customer_id) LOCK=SHARED;'))).toEqual(['mysql-algorithm-copy']);
    });

    it('leaves the LOCK=SHARED a FULLTEXT index needs to mysql-add-fulltext-index', async () => {
      expect(mysqlRules(await lint(ORDERS, 'ALTER TABLE orders ADD FULLTEXT INDEX orders_body_ft (body), ALGORITHM=INPLACE, LOCK=SHARED;'))).toEqual(['mysql-add-fulltext-index']);
    });
  });

  describe('mysql-add-index-without-algorithm', () => {
    it('reports ALTER TABLE … ADD UNIQUE KEY as info', async () => {
      const result = await lint(ORDERS, 'ALTER TABLE orders ADD UNIQUE KEY orders_reference_key (reference);');
      expect(mysqlRules(result)).toEqual(['mysql-add-index-without-algorithm']);
      expect(result.findings.find((f) => f.rule === 'mysql-add-index-without-algorithm')!.severity).toBe('info');
    });

    it('does not report an index on a table created in the same migration', async () => {
      expect(mysqlRules(await lint('', 'CREATE TABLE carts (id BIGINT PRIMARY KEY, owner_id BIGINT NOT NULL);\nCREATE INDEX carts_owner_idx ON carts (owner_id);'))).toEqual([]);
    });
  });

  describe('mysql-add-fulltext-index', () => {
    it('says that the first FULLTEXT index rebuilds the table, and a second one does not', async () => {
      const first = await lint(ORDERS, 'CREATE FULLTEXT INDEX orders_body_ft ON orders (body);');
      expect(mysqlRules(first)).toEqual(['mysql-add-fulltext-index']);
      expect(first.findings.find((f) => f.rule === 'mysql-add-fulltext-index')).toMatchObject({ object: 'orders.orders_body_ft' });
      expect(first.findings.find((f) => f.rule === 'mysql-add-fulltext-index')!.message).toContain('first FULLTEXT index');
      const second = await lint(`${ORDERS}\nCREATE FULLTEXT INDEX orders_body_ft ON orders (body);`, 'CREATE FULLTEXT INDEX orders_note_ft ON orders (note);');
      expect(second.findings.find((f) => f.rule === 'mysql-add-fulltext-index')!.message).not.toContain('first FULLTEXT index');
    });
  });

  describe('mysql-convert-charset', () => {
    it('reports a table created in the same migration one level lower', async () => {
      const result = await lint('', 'CREATE TABLE tags (id BIGINT PRIMARY KEY, name VARCHAR(50) NOT NULL) DEFAULT CHARSET=latin1;\nALTER TABLE tags CONVERT TO CHARSET utf8mb4;');
      expect(result.findings.filter((f) => f.rule === 'mysql-convert-charset')).toEqual([expect.objectContaining({ object: 'tags', severity: 'warning', line: 2 })]);
    });
  });

  describe('mysql-optimize-table', () => {
    it('reports each table OPTIMIZE TABLE names', async () => {
      const result = await lint(`${ORDERS}\nCREATE TABLE events (id BIGINT PRIMARY KEY);`, 'OPTIMIZE NO_WRITE_TO_BINLOG TABLE orders, `events`;');
      expect(result.findings.filter((f) => f.rule === 'mysql-optimize-table').map((f) => f.object)).toEqual(['orders', 'events']);
    });
  });

  describe('mysql-lock-tables', () => {
    it('reports each locked table with its mode', async () => {
      const result = await lint(`${ORDERS}\nCREATE TABLE events (id BIGINT PRIMARY KEY);`, 'LOCK TABLES orders WRITE, events READ;\nUNLOCK TABLES;');
      expect(result.findings.filter((f) => f.rule === 'mysql-lock-tables').map((f) => f.message)).toEqual([
        expect.stringContaining('orders WRITE blocks reads and writes'),
        expect.stringContaining('events READ blocks writes'),
      ]);
    });
  });

  describe('mysql-drop-database', () => {
    it('reports DROP SCHEMA too', async () => {
      expect(mysqlRules(await lint(ORDERS, 'DROP SCHEMA IF EXISTS schemaguard_example_archive;'))).toEqual(['mysql-drop-database']);
    });
  });

  describe('mysql-foreign-key-checks-disabled', () => {
    it('does not report checks restored from the saved value', async () => {
      const migration = 'SET @old_checks = @@foreign_key_checks, foreign_key_checks = 0;\nALTER TABLE orders ADD COLUMN channel VARCHAR(10) NULL;\nSET foreign_key_checks = @old_checks;';
      expect(mysqlRules(await lint(ORDERS, migration))).toEqual([]);
    });

    it('reports SET GLOBAL foreign_key_checks = OFF even when the session turns them back on', async () => {
      // Not applied: the server is shared with other tests.
      const migration = 'SET GLOBAL foreign_key_checks = OFF;\nSET foreign_key_checks = 1;';
      const { step, parsed } = await stepOn(ORDERS, migration, { product: 'MariaDB', version: '10.11.9' }, false);
      expect(findingsOf(step, parsed).map((f) => [f.rule, f.statement?.line])).toEqual([['mysql-foreign-key-checks-disabled', 1]]);
    });
  });

  it('report nothing on a step of another engine', async () => {
    const { step, parsed } = await stepOn(ORDERS, 'OPTIMIZE TABLE orders;\nTRUNCATE TABLE orders;', { product: 'MariaDB', version: '10.11.9' });
    expect(findingsOf(step, parsed).length).toBe(2);
    expect(findingsOf({ ...step, engine: 'postgres' }, parsed)).toEqual([]);
  });
});
