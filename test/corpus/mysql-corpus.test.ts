import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/diff/diff-snapshots.js';
import type { DatabaseUrl } from '../../src/dialects/database-url.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { serializeSnapshot } from '../../src/snapshot/canonical.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';
import { mariadbCount, mariadbDumpSchema, mariadbLoad } from '../support/mysql-cli.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { mysqlServer } from '../support/servers.js';

const server = await mysqlServer();
const runnable = corpusAvailable && server.available;

/**
 * Drops the lines of scripts that make and enter their own database (`DROP DATABASE IF
 * EXISTS `Chinook``, `CREATE SCHEMA sakila`, `USE sakila`), so they land in the scratch
 * database. These are whole lines at the top of the files, matched by their first words.
 */
const intoCurrentDatabase = (sql: string): string =>
  sql
    .split('\n')
    .filter((line) => !/^\s*(DROP|CREATE)\s+(DATABASE|SCHEMA)\b/i.test(line) && !/^\s*USE\s/i.test(line))
    .join('\n');

const BASE_TABLES = `TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')`;

/** Object counts straight from information_schema through the mariadb client, independent of src/dialects/mysql. */
function catalogCounts(url: DatabaseUrl) {
  const count = (query: string) => mariadbCount(url, query);
  return {
    tables: count(`SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND ${BASE_TABLES}`),
    columns: count(`SELECT COUNT(*) FROM information_schema.COLUMNS c JOIN information_schema.TABLES t
      ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME WHERE c.TABLE_SCHEMA = DATABASE() AND t.${BASE_TABLES}`),
    primaryKeys: count(`SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS
      WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'PRIMARY KEY'`),
    indexes: count(`SELECT COUNT(DISTINCT TABLE_NAME, INDEX_NAME) FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'`),
    foreignKeys: count(`SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS
      WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'FOREIGN KEY'`),
    checks: count(`SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_TYPE = 'CHECK'`),
    views: count(`SELECT COUNT(*) FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()`),
    routines: count(`SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()`),
    triggers: count(`SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()`),
    events: count(`SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = DATABASE()`),
  };
}

function snapshotCounts(snapshot: SchemaSnapshot) {
  const sum = (of: (table: SchemaSnapshot['tables'][number]) => number) => snapshot.tables.reduce((total, t) => total + of(t), 0);
  return {
    tables: snapshot.tables.length,
    columns: sum((t) => t.columns.length),
    primaryKeys: snapshot.tables.filter((t) => t.primaryKey !== null).length,
    indexes: sum((t) => t.indexes.length),
    foreignKeys: sum((t) => t.foreignKeys.length),
    checks: sum((t) => t.checks.length),
    views: snapshot.views.length,
    routines: snapshot.routines.length,
    triggers: snapshot.triggers.length,
    events: snapshot.events.length,
  };
}

interface CorpusCase {
  readonly file: string;
  readonly transform?: (sql: string) => string;
  /**
   * Statements of a file that fail on MariaDB 10.11, and why. What they would create is
   * absent from both counts; every error must match one pattern, and every pattern an error.
   */
  readonly mariadbFailures?: { readonly why: string; readonly errors: readonly RegExp[] };
  /** A file MariaDB 10.11 cannot load in any useful part: the reason printed when skipping. */
  readonly mariadbUnloadable?: { readonly why: string; readonly errors: readonly RegExp[] };
}

const CASES: [string, CorpusCase][] = [
  ['chinook', { file: 'chinook/ChinookDatabase/DataSources/Chinook_MySql.sql', transform: intoCurrentDatabase }],
  [
    'chinook (auto-increment keys)',
    { file: 'chinook/ChinookDatabase/DataSources/Chinook_MySql_AutoIncrementPKs.sql', transform: intoCurrentDatabase },
  ],
  [
    'sakila (jOOQ)',
    {
      file: 'sakila-jooq/mysql-sakila-db/mysql-sakila-schema.sql',
      transform: intoCurrentDatabase,
      mariadbFailures: {
        why: 'the actor_info view names its tables as sakila.film, sakila.actor…, and the scratch database is not called sakila',
        errors: [/^ERROR 1146 \(42S02\) at line \d+: Table 'sakila\.actor' doesn't exist$/],
      },
    },
  ],
  ['temporal', { file: 'temporal/schema/mysql/v8/temporal/schema.sql' }],
  [
    'temporal visibility',
    {
      file: 'temporal/schema/mysql/v8/visibility/schema.sql',
      mariadbUnloadable: {
        why:
          'written for MySQL 8: its main table executions_visibility uses the ->> JSON operator in generated columns, and its ' +
          'indexes functional key parts ((COALESCE(close_time, …)) DESC) and multi-valued keys (CAST(… AS CHAR(255) ARRAY)), ' +
          'none of which MariaDB 10.11 parses; every later statement depends on those tables',
        errors: [/You have an error in your SQL syntax/, /doesn't exist/],
      },
    },
  ],
];

/** Every error matches a pattern and every pattern matches an error. */
function expectErrorsToBe(errors: readonly string[], patterns: readonly RegExp[]): void {
  expect(errors.filter((error) => !patterns.some((pattern) => pattern.test(error)))).toEqual([]);
  expect(patterns.filter((pattern) => !errors.some((error) => pattern.test(error)))).toEqual([]);
}

describe.skipIf(!runnable)('MySQL/MariaDB corpus on the server', () => {
  const scratches: ScratchDatabase[] = [];
  const fresh = async () => {
    const scratch = await createScratchDatabase({ kind: 'server', url: server.url });
    scratches.push(scratch);
    return scratch;
  };
  afterAll(async () => {
    await Promise.all(scratches.map((s) => s.dispose()));
  });

  describe.each(CASES)('%s', (name, corpusCase) => {
    let scratch: ScratchDatabase | undefined;
    let snapshot: SchemaSnapshot;

    it('loads, and the snapshot counts what information_schema counts', async (context) => {
      const loaded = await fresh();
      const sql = readFileSync(corpusPath(corpusCase.file), 'utf8');
      const { errors } = mariadbLoad(loaded.url, corpusCase.transform === undefined ? sql : corpusCase.transform(sql));
      const onMariadb = loaded.connection.server.product === 'MariaDB';
      if (onMariadb && corpusCase.mariadbUnloadable !== undefined) {
        expectErrorsToBe(errors, corpusCase.mariadbUnloadable.errors);
        console.warn(`skipping corpus ${name} (${corpusCase.file}) on MariaDB: ${corpusCase.mariadbUnloadable.why}`);
        context.skip();
      }
      const expected = onMariadb ? corpusCase.mariadbFailures : undefined;
      expectErrorsToBe(errors, expected?.errors ?? []);
      if (expected !== undefined) console.warn(`corpus ${name}: ${errors.length} statement(s) fail on MariaDB: ${expected.why}`);
      scratch = loaded;
      snapshot = await loaded.connection.captureSchema({ schemas: [] });
      expect(snapshotCounts(snapshot)).toEqual(catalogCounts(loaded.url));
      expect(snapshot.tables.length).toBeGreaterThan(0);
    });

    it('captures the same snapshot twice, byte for byte', async (context) => {
      if (scratch === undefined) return context.skip();
      expect(serializeSnapshot(await scratch.connection.captureSchema({ schemas: [] }))).toBe(serializeSnapshot(snapshot));
    });

    it('equals the snapshot of a database restored from its mariadb-dump', async (context) => {
      if (scratch === undefined) return context.skip();
      const restored = await fresh();
      expect(mariadbLoad(restored.url, mariadbDumpSchema(scratch.url)).errors).toEqual([]);
      const restoredSnapshot = await restored.connection.captureSchema({ schemas: [] });
      expect(diffSnapshots(snapshot, restoredSnapshot)).toEqual([]);
      expect(serializeSnapshot(restoredSnapshot)).toBe(serializeSnapshot(snapshot));
    });
  });
});
