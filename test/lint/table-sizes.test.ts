import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaguardError } from '../../src/core/errors.js';
import { parseTableSizes, readTableSizes, TABLE_SIZES_QUERIES } from '../../src/checks/lint/table-sizes.js';
import { MYSQL_URL_TEXT, PG_URL_TEXT, mysqlServer, postgresServer } from '../support/servers.js';

const pgServer = await postgresServer();
const myServer = await mysqlServer();
const dir = mkdtempSync(join(tmpdir(), 'schemaguard-table-sizes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sizesFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readTableSizes', () => {
  it('reads a JSON object of table → rows, and null as unknown', async () => {
    const sizes = await readTableSizes(sizesFile('sizes.json', '{"public.orders": 1250000, "public.users": 80, "public.audit": null}'));
    expect(sizes.rowsOf('public.orders')).toBe(1_250_000);
    expect(sizes.rowsOf('public.users')).toBe(80);
    expect(sizes.rowsOf('public.audit')).toBeUndefined();
  });

  it('reads a JSON list of {table, rows}', async () => {
    const sizes = await readTableSizes(sizesFile('list.json', '[{"table": "orders", "rows": 1250000}, {"table": "users", "rows": "80"}]'));
    expect(sizes.rowsOf('orders')).toBe(1_250_000);
    expect(sizes.rowsOf('users')).toBe(80);
  });

  it('reads CSV lines table,rows after a header', async () => {
    const sizes = await readTableSizes(sizesFile('sizes.csv', 'table,rows\npublic.orders,1250000\n"public.users",80\n'));
    expect(sizes.size).toBe(2);
    expect(sizes.rowsOf('public.orders')).toBe(1_250_000);
    expect(sizes.rowsOf('public.users')).toBe(80);
  });

  it('finds a table named with or without its schema', async () => {
    const sizes = await readTableSizes(sizesFile('bare.json', '{"orders": 1250000}'));
    expect(sizes.rowsOf('public.orders')).toBe(1_250_000);
  });

  it.each([
    ['broken JSON', 'broken.json', '{"orders": 12', 'not valid JSON'],
    ['a row count that is not a number', 'words.json', '{"orders": "many"}', 'the row count of orders is not a number'],
    ['a CSV line without a comma', 'nocomma.csv', 'table,rows\norders 12\n', 'expected table,rows'],
  ])('rejects %s with one SchemaguardError naming the file', async (_what, name, text, message) => {
    const path = sizesFile(name, text);
    const error = await readTableSizes(path).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SchemaguardError);
    expect((error as SchemaguardError).message).toContain(path);
    expect((error as SchemaguardError).message).toContain(message);
    expect((error as SchemaguardError).hint).toContain('table-sizes-query');
  });

  it('rejects a file that cannot be read', async () => {
    await expect(readTableSizes(join(dir, 'missing.json'))).rejects.toThrow(SchemaguardError);
  });
});

describe('the table sizes query of each engine', () => {
  it('SQLite: the query writes a counting query whose JSON names every table', () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total NUMERIC);\nCREATE TABLE "odd ""name""" (id INTEGER PRIMARY KEY);');
      const insert = db.prepare('INSERT INTO invoices (total) VALUES (?)');
      for (let i = 0; i < 250; i += 1) insert.run(i);
      const counting = db.prepare(TABLE_SIZES_QUERIES.sqlite).pluck().get() as string;
      const json = db.prepare(counting).pluck().get() as string;
      const sizes = parseTableSizes(json, 'sqlite output');
      expect(sizes.rowsOf('invoices')).toBe(250);
      expect(sizes.rowsOf('odd "name"')).toBe(0);
    } finally {
      db.close();
    }
  });

  it('SQLite: a database without tables gives an empty object', () => {
    const db = new Database(':memory:');
    try {
      const counting = db.prepare(TABLE_SIZES_QUERIES.sqlite).pluck().get() as string;
      expect(parseTableSizes(db.prepare(counting).pluck().get() as string, 'sqlite output').size).toBe(0);
    } finally {
      db.close();
    }
  });

  it.skipIf(!pgServer.available)('PostgreSQL: the planner estimates of analysed tables, by schema.table', async () => {
    const client = new pg.Client({ connectionString: PG_URL_TEXT });
    const schema = `sg_sizes_${process.pid}_${Date.now()}`;
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.query(`CREATE TABLE ${schema}.invoices (id bigint PRIMARY KEY, total numeric(10,2))`);
      await client.query(`INSERT INTO ${schema}.invoices SELECT g, g FROM generate_series(1, 250) AS g`);
      await client.query(`ANALYZE ${schema}.invoices`);
      const { rows } = await client.query<{ table_sizes: unknown }>(TABLE_SIZES_QUERIES.postgres);
      const text = typeof rows[0]!.table_sizes === 'string' ? rows[0]!.table_sizes : JSON.stringify(rows[0]!.table_sizes);
      expect(parseTableSizes(text, 'psql output').rowsOf(`${schema}.invoices`)).toBe(250);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });

  it.skipIf(!myServer.available)('MySQL/MariaDB: the InnoDB estimates of the current database, by table name', async () => {
    const connection = await mysql.createConnection({ uri: MYSQL_URL_TEXT });
    const table = `sg_sizes_${process.pid}_${Date.now()}`;
    try {
      await connection.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, total DECIMAL(10,2))`);
      await connection.query(`INSERT INTO ${table} SELECT seq, seq FROM seq_1_to_250`).catch(async () => {
        // MySQL has no sequence engine: insert the rows one statement at a time.
        for (let i = 1; i <= 250; i += 1) await connection.query(`INSERT INTO ${table} VALUES (?, ?)`, [i, i]);
      });
      await connection.query(`ANALYZE TABLE ${table}`);
      const [rows] = await connection.query(TABLE_SIZES_QUERIES.mysql);
      const value = (rows as { table_sizes: unknown }[])[0]!.table_sizes;
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      const estimate = parseTableSizes(text, 'mysql output').rowsOf(table);
      expect(estimate).toBeGreaterThan(0);
      expect(estimate).toBeLessThanOrEqual(500);
    } finally {
      await connection.query(`DROP TABLE IF EXISTS ${table}`);
      await connection.end();
    }
  });
});
