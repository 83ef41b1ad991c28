import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseUrl } from '../../src/dialects/database-url.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { runCli } from '../support/cli.js';
import { corpusAvailable, corpusPath } from '../support/corpus.js';
import { psqlApply } from '../support/postgres-cli.js';
import { mysqlServer, postgresServer } from '../support/servers.js';
import { mariadbScript, sqlite3 } from './support.js';

/**
 * Real data from public sample databases: a data snapshot is taken with the CLI, a few rows
 * are updated, deleted and inserted with the engine's own client, and `diff --data` must
 * report exactly those rows, by key, and nothing else.
 */
const pg = await postgresServer();
const my = await mysqlServer();
const dir = mkdtempSync(join(tmpdir(), 'schemaguard-data-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Drops the DROP/CREATE DATABASE, USE and \c lines of scripts that make their own database. */
const intoCurrentDatabase = (sql: string): string =>
  sql
    .split('\n')
    .filter((line) => !/^\s*(DROP|CREATE) DATABASE\b/i.test(line) && !/^\s*USE\b/i.test(line) && !/^\\c(onnect)?\b/.test(line))
    .join('\n');

function urlText(url: DatabaseUrl): string {
  if (url.kind === 'sqlite') return `sqlite:${url.path}`;
  if (url.kind !== 'server') throw new Error('server or SQLite URL expected');
  const password = url.password === null ? '' : `:${encodeURIComponent(url.password.reveal())}`;
  return `${url.scheme}://${url.user}${password}@${url.host}:${url.port}/${url.database}`;
}

interface TableReport {
  name: string;
  status: string;
  comparedBy: string;
  note: string | null;
  missing: { count: number; rows: { key: Record<string, unknown> }[] } | null;
  extra: { count: number; rows: { key: Record<string, unknown> }[] } | null;
  changed: { count: number; rows: { key: Record<string, unknown>; columns: { column: string; a: unknown; b: unknown }[] }[] } | null;
}

async function snapshotData(url: string, name: string): Promise<string> {
  const file = join(dir, `${name}.json`);
  const result = await runCli(['snapshot', url, '--data', '--rows-limit', '100000', '-o', file]);
  expect(result.stderr).toContain('data of');
  expect(result.code).toBe(0);
  return file;
}

async function diffData(file: string, url: string): Promise<{ code: number; report: { equal: boolean; changes: unknown[]; data: { tables: TableReport[] } } }> {
  const result = await runCli(['diff', file, url, '--data', '--format', 'json']);
  return { code: result.code, report: JSON.parse(result.stdout) };
}

const keys = (rows: { key: Record<string, unknown> }[] | undefined) => (rows ?? []).map((r) => r.key);

interface Edits {
  /** Table → expected keys. */
  changed: Record<string, Record<string, unknown>[]>;
  missing: Record<string, Record<string, unknown>[]>;
  extra: Record<string, Record<string, unknown>[]>;
}

function expectExactly(tables: TableReport[], edits: Edits): void {
  const differing = tables.filter((t) => t.status !== 'equal').map((t) => t.name).sort();
  const touched = [...new Set([...Object.keys(edits.changed), ...Object.keys(edits.missing), ...Object.keys(edits.extra)])].sort();
  expect(differing).toEqual(touched);
  for (const name of touched) {
    const table = tables.find((t) => t.name === name)!;
    expect(table.comparedBy).toBe('rows');
    expect(keys(table.changed?.rows)).toEqual(edits.changed[name] ?? []);
    expect(keys(table.missing?.rows)).toEqual(edits.missing[name] ?? []);
    expect(keys(table.extra?.rows)).toEqual(edits.extra[name] ?? []);
  }
}

describe.skipIf(!corpusAvailable)('diff --data on real sample data', () => {
  const scratches: ScratchDatabase[] = [];
  afterAll(async () => {
    await Promise.all(scratches.map((s) => s.dispose()));
  });

  it.skipIf(!pg.available)('Chinook on PostgreSQL: exactly the rows updated, deleted and inserted, by key', async () => {
    const scratch = await createScratchDatabase({ kind: 'server', url: pg.url });
    scratches.push(scratch);
    psqlApply(scratch.url, intoCurrentDatabase(readFileSync(corpusPath('chinook/ChinookDatabase/DataSources/Chinook_PostgreSql.sql'), 'utf8')));
    const url = urlText(scratch.url);
    const file = await snapshotData(url, 'chinook-postgres');
    expect((await diffData(file, url)).code).toBe(0);
    psqlApply(
      scratch.url,
      `UPDATE artist SET name = name || ' (remastered)' WHERE artist_id IN (5, 1);
       UPDATE track SET unit_price = 1.29 WHERE track_id = 3;
       DELETE FROM playlist_track WHERE playlist_id = 1 AND track_id = 3402;
       INSERT INTO artist (artist_id, name) VALUES (1000, 'Ünïcødé Artist 🎸');`,
    );
    const { code, report } = await diffData(file, url);
    expect(code).toBe(1);
    expect(report.changes).toEqual([]);
    expectExactly(report.data.tables, {
      changed: { 'public.artist': [{ artist_id: '1' }, { artist_id: '5' }], 'public.track': [{ track_id: '3' }] },
      missing: { 'public.playlist_track': [{ playlist_id: '1', track_id: '3402' }] },
      extra: { 'public.artist': [{ artist_id: '1000' }] },
    });
    const track = report.data.tables.find((t) => t.name === 'public.track')!;
    expect(track.changed!.rows[0]!.columns).toEqual([{ column: 'unit_price', a: '0.99', b: '1.29' }]);
  });

  it.skipIf(!my.available)('Chinook on MariaDB: exactly the rows updated, deleted and inserted, by key', async () => {
    const scratch = await createScratchDatabase({ kind: 'server', url: my.url });
    scratches.push(scratch);
    mariadbScript(scratch.url, intoCurrentDatabase(readFileSync(corpusPath('chinook/ChinookDatabase/DataSources/Chinook_MySql.sql'), 'utf8')));
    const url = urlText(scratch.url);
    const file = await snapshotData(url, 'chinook-mariadb');
    expect((await diffData(file, url)).code).toBe(0);
    mariadbScript(
      scratch.url,
      `UPDATE Artist SET Name = CONCAT(Name, ' (remastered)') WHERE ArtistId IN (5, 1);
       UPDATE Track SET UnitPrice = 1.29 WHERE TrackId = 3;
       DELETE FROM PlaylistTrack WHERE PlaylistId = 1 AND TrackId = 3402;
       INSERT INTO Artist (ArtistId, Name) VALUES (1000, 'Ünïcødé Artist (utf8mb3: no emoji)');`,
    );
    const { code, report } = await diffData(file, url);
    expect(code).toBe(1);
    expectExactly(report.data.tables, {
      changed: { Artist: [{ ArtistId: '1' }, { ArtistId: '5' }], Track: [{ TrackId: '3' }] },
      missing: { PlaylistTrack: [{ PlaylistId: '1', TrackId: '3402' }] },
      extra: { Artist: [{ ArtistId: '1000' }] },
    });
  });

  it('Chinook on SQLite: exactly the rows updated, deleted and inserted, by key', async () => {
    const path = join(dir, 'chinook.sqlite');
    copyFileSync(corpusPath('chinook/ChinookDatabase/DataSources/Chinook_Sqlite.sqlite'), path);
    const url = `sqlite:${path}`;
    const file = await snapshotData(url, 'chinook-sqlite');
    expect((await diffData(file, url)).code).toBe(0);
    sqlite3(
      path,
      `UPDATE Artist SET Name = Name || ' (remastered)' WHERE ArtistId IN (5, 1);
       UPDATE Track SET UnitPrice = 1.29 WHERE TrackId = 3;
       DELETE FROM PlaylistTrack WHERE PlaylistId = 1 AND TrackId = 3402;
       INSERT INTO Artist (ArtistId, Name) VALUES (1000, 'Ünïcødé Artist 🎸');`,
    );
    const { code, report } = await diffData(file, url);
    expect(code).toBe(1);
    expectExactly(report.data.tables, {
      changed: { Artist: [{ ArtistId: '1' }, { ArtistId: '5' }], Track: [{ TrackId: '3' }] },
      missing: { PlaylistTrack: [{ PlaylistId: '1', TrackId: '3402' }] },
      extra: { Artist: [{ ArtistId: '1000' }] },
    });
    // Two live databases stream in key order on both sides: the same answer.
    const original = join(dir, 'chinook-original.sqlite');
    copyFileSync(corpusPath('chinook/ChinookDatabase/DataSources/Chinook_Sqlite.sqlite'), original);
    const live = await runCli(['diff', `sqlite:${original}`, url, '--data', '--format', 'json']);
    expect(live.code).toBe(1);
    expectExactly(JSON.parse(live.stdout).data.tables, {
      changed: { Artist: [{ ArtistId: '1' }, { ArtistId: '5' }], Track: [{ TrackId: '3' }] },
      missing: { PlaylistTrack: [{ PlaylistId: '1', TrackId: '3402' }] },
      extra: { Artist: [{ ArtistId: '1000' }] },
    });
  });

  it.skipIf(!pg.available)('pagila (sakila) on PostgreSQL: exactly the rows updated, deleted and inserted, by key', async () => {
    const scratch = await createScratchDatabase({ kind: 'server', url: pg.url });
    scratches.push(scratch);
    const folder = 'sakila-jooq/postgres-sakila-db';
    psqlApply(scratch.url, readFileSync(corpusPath(folder, 'postgres-sakila-schema.sql'), 'utf8'));
    psqlApply(scratch.url, readFileSync(corpusPath(folder, 'postgres-sakila-insert-data-using-copy.sql'), 'utf8'));
    const url = urlText(scratch.url);
    const file = await snapshotData(url, 'pagila');
    expect((await diffData(file, url)).code).toBe(0);
    psqlApply(
      scratch.url,
      `UPDATE actor SET last_name = 'GUINESSS' WHERE actor_id = 1;
       UPDATE film SET rental_rate = 5.99 WHERE film_id = 7;
       DELETE FROM payment WHERE payment_id = 854;
       INSERT INTO category (category_id, name) VALUES (100, 'Documentary Shorts');`,
    );
    const { code, report } = await diffData(file, url);
    expect(code).toBe(1);
    expectExactly(report.data.tables, {
      changed: { 'public.actor': [{ actor_id: '1' }], 'public.film': [{ film_id: '7' }] },
      missing: { 'public.payment': [{ payment_id: '854' }] },
      extra: { 'public.category': [{ category_id: '100' }] },
    });
    // The last_updated trigger moved last_update too: both columns are reported.
    const actor = report.data.tables.find((t) => t.name === 'public.actor')!;
    expect(actor.changed!.rows[0]!.columns.map((c) => c.column)).toEqual(['last_name', 'last_update']);
  });
});
