import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { diffSnapshots } from '../../src/diff/diff-snapshots.js';
import type { DatabaseUrl } from '../../src/dialects/database-url.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { createScratchDatabase } from '../../src/scratch/scratch-database.js';
import { serializeSnapshot } from '../../src/snapshot/canonical.js';
import type { SchemaSnapshot } from '../../src/snapshot/model.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { pgDumpSchema, psqlCount, psqlLoad } from '../support/postgres-cli.js';
import { postgresServer } from '../support/servers.js';

const server = await postgresServer();
const runnable = corpusAvailable && server.available;

/** Drops the DROP/CREATE DATABASE and \c lines of scripts that make their own database. */
const intoCurrentDatabase = (sql: string): string =>
  sql
    .split('\n')
    .filter((line) => !/^\s*(DROP|CREATE) DATABASE\b/i.test(line) && !/^\\c(onnect)?\b/.test(line))
    .join('\n');

const USER_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;
const NOT_IN_EXTENSION = (catalog: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${catalog}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

/** Object counts straight from the catalogs, written independently of src/dialects/postgres. */
function catalogCounts(url: DatabaseUrl) {
  const count = (query: string) => psqlCount(url, query);
  return {
    tables: count(`SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','f') AND ${USER_SCHEMAS} AND ${NOT_IN_EXTENSION('pg_class', 'c.oid')}`),
    columns: count(`SELECT count(*) FROM information_schema.columns col JOIN pg_namespace n ON n.nspname = col.table_schema
      JOIN pg_class c ON c.relname = col.table_name AND c.relnamespace = n.oid WHERE c.relkind IN ('r','p','f') AND ${USER_SCHEMAS} AND ${NOT_IN_EXTENSION('pg_class', 'c.oid')}`),
    views: count(`SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('v','m') AND ${USER_SCHEMAS} AND ${NOT_IN_EXTENSION('pg_class', 'c.oid')}`),
    foreignKeys: count(`SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE k.contype = 'f' AND k.conparentid = 0 AND ${USER_SCHEMAS}`),
    primaryKeys: count(`SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace WHERE k.contype = 'p' AND k.conparentid = 0 AND ${USER_SCHEMAS}`),
    routines: count(`SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${USER_SCHEMAS} AND ${NOT_IN_EXTENSION('pg_proc', 'p.oid')}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')`),
    triggers: count(`SELECT count(DISTINCT (trigger_schema, event_object_table, trigger_name)) FROM information_schema.triggers`),
    sequences: count(`SELECT count(*) FROM information_schema.sequences s WHERE NOT EXISTS (
      SELECT 1 FROM pg_depend d JOIN pg_class c ON c.oid = d.objid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE d.deptype = 'i' AND c.relname = s.sequence_name AND n.nspname = s.sequence_schema)`),
  };
}

function snapshotCounts(snapshot: SchemaSnapshot) {
  return {
    tables: snapshot.tables.length,
    columns: snapshot.tables.reduce((sum, t) => sum + t.columns.length, 0),
    views: snapshot.views.length,
    foreignKeys: snapshot.tables.reduce((sum, t) => sum + t.foreignKeys.length, 0),
    primaryKeys: snapshot.tables.filter((t) => t.primaryKey !== null).length,
    routines: snapshot.routines.length,
    triggers: snapshot.triggers.length,
    sequences: snapshot.sequences.length,
  };
}

const CASES: [string, string, ((sql: string) => string)?][] = [
  ['chinook', 'chinook/ChinookDatabase/DataSources/Chinook_PostgreSql.sql', intoCurrentDatabase],
  ['chinook (serial keys)', 'chinook/ChinookDatabase/DataSources/Chinook_PostgreSql_SerialPKs.sql', intoCurrentDatabase],
  ['chinook (identity keys)', 'chinook/ChinookDatabase/DataSources/Chinook_PostgreSql_AutoIncrementPKs.sql', intoCurrentDatabase],
  ['sakila (jOOQ)', 'sakila-jooq/postgres-sakila-db/postgres-sakila-schema.sql'],
  ['pagila', 'pagila-devrimgunduz/pagila-schema.sql'],
  ['temporal', 'temporal/schema/postgresql/v12/temporal/schema.sql'],
  ['temporal visibility', 'temporal/schema/postgresql/v12/visibility/schema.sql'],
];

describe.skipIf(!runnable)('PostgreSQL corpus on the server', () => {
  const scratches: ScratchDatabase[] = [];
  const fresh = async () => {
    const scratch = await createScratchDatabase({ kind: 'server', url: server.url });
    scratches.push(scratch);
    return scratch;
  };
  afterAll(async () => {
    await Promise.all(scratches.map((s) => s.dispose()));
  });

  describe.each(CASES)('%s', (_name, file, transform) => {
    let scratch: ScratchDatabase;
    let snapshot: SchemaSnapshot;

    it('loads, and the snapshot counts what the catalogs count', async () => {
      scratch = await fresh();
      const sql = readFileSync(corpusPath(file), 'utf8');
      const { errors } = psqlLoad(scratch.url, transform === undefined ? sql : transform(sql));
      // pagila is written for PostgreSQL 18 (uuidv7, VIRTUAL columns, pgvector): what 15 cannot
      // create is reported here and simply absent from both counts.
      if (errors.length > 0) console.warn(`${file}: ${errors.length} statements failed on this server, e.g. ${errors[0]}`);
      snapshot = await scratch.connection.captureSchema({ schemas: [] });
      expect(snapshotCounts(snapshot)).toEqual(catalogCounts(scratch.url));
      expect(snapshot.tables.length).toBeGreaterThan(0);
    });

    it('captures the same snapshot twice, byte for byte', async () => {
      expect(serializeSnapshot(await scratch.connection.captureSchema({ schemas: [] }))).toBe(serializeSnapshot(snapshot));
    });

    it('equals the snapshot of a database restored from its pg_dump', async () => {
      const restored = await fresh();
      const { errors } = psqlLoad(restored.url, pgDumpSchema(scratch.url));
      expect(errors).toEqual([]);
      const restoredSnapshot = await restored.connection.captureSchema({ schemas: [] });
      expect(diffSnapshots(snapshot, restoredSnapshot)).toEqual([]);
      expect(serializeSnapshot(restoredSnapshot)).toBe(serializeSnapshot(snapshot));
    });
  });
});
