import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SchemaguardError } from '../../src/core/errors.js';
import { openDatabase } from '../../src/dialects/connect.js';
import { DEFAULT_STATEMENT_TIMEOUT_MS } from '../../src/dialects/dialect.js';
import { captureSqliteSchema } from '../../src/dialects/sqlite/sqlite-snapshot.js';
import { diffSnapshots } from '../../src/diff/diff-snapshots.js';
import type { ScratchDatabase } from '../../src/scratch/scratch-database.js';
import { serializeSnapshot } from '../../src/snapshot/canonical.js';
import { captureSource } from '../../src/snapshot/source.js';
import type { SchemaSnapshot, Table } from '../../src/snapshot/model.js';
import { fixture, scratchWith, snapshotOf } from '../support/scratch.js';

const table = (snapshot: SchemaSnapshot, name: string): Table => {
  const found = snapshot.tables.find((t) => t.schema === 'main' && t.name === name);
  if (found === undefined) throw new Error(`no table ${name}`);
  return found;
};

/** `changed column track.name nullable` — one line per change, easy to assert exactly. */
const describeChanges = (before: SchemaSnapshot, after: SchemaSnapshot): string[] =>
  diffSnapshots(before, after).map((c) => `${c.action} ${c.kind} ${c.name}${c.action === 'changed' ? ` ${c.attribute}` : ''}`);

const pathOf = (scratch: ScratchDatabase): string => (scratch.url.kind === 'sqlite' ? scratch.url.path : '');

/** A database file of its own, as a user hands one over, read through the product's read-only path. */
async function snapshotFile(path: string): Promise<SchemaSnapshot> {
  const connection = await openDatabase({ kind: 'sqlite', engine: 'sqlite', path }, 'read-only', {
    statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS,
  });
  try {
    return await connection.captureSchema({ schemas: [] });
  } finally {
    await connection.close();
  }
}

/** `sqlite3 from .dump | sqlite3 to`, with the sqlite3 command-line shell. */
function dumpAndRestore(from: string, to: string): void {
  const dump = execFileSync('sqlite3', [from, '.dump'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  execFileSync('sqlite3', ['-bail', to], { input: dump, encoding: 'utf8' });
}

/**
 * The 12-step table rebuild of https://sqlite.org/lang_altertable.html#otheralter, what a
 * migration runs for what ALTER TABLE cannot do (a type, a default, a constraint): create the
 * new table, copy the rows, drop the old one, rename, and recreate its indexes. Views and
 * triggers are dropped and recreated around it, because renaming the new table re-checks
 * every one of them and the old table is gone by then.
 */
interface Rebuild {
  readonly rebuild: string;
  readonly body: string;
  readonly options: string;
}
const rebuild = (name: string, body: string, options = ''): Rebuild => ({ rebuild: name, body, options });

async function rebuildScript(scratch: ScratchDatabase, { rebuild: name, body, options }: Rebuild): Promise<string> {
  const db = scratch.connection.db;
  const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
  const saved = (
    await sql<{ type: string; name: string; sql: string }>`
      SELECT type, name, sql FROM sqlite_schema
      WHERE sql IS NOT NULL AND (type IN ('view', 'trigger') OR (type = 'index' AND tbl_name = ${name}))
      ORDER BY rowid`.execute(db)
  ).rows;
  const copied = (await sql<{ name: string; hidden: number }>`SELECT name, hidden FROM pragma_table_xinfo(${name})`.execute(db)).rows
    .filter((column) => column.hidden === 0)
    .map((column) => quote(column.name))
    .join(', ');
  const temporary = quote(`new_${name}`);
  return [
    'PRAGMA foreign_keys = OFF',
    'BEGIN',
    ...saved.filter((o) => o.type === 'trigger').map((o) => `DROP TRIGGER ${quote(o.name)}`),
    ...saved.filter((o) => o.type === 'view').map((o) => `DROP VIEW ${quote(o.name)}`),
    `CREATE TABLE ${temporary} (${body})${options}`,
    `INSERT INTO ${temporary} (${copied}) SELECT ${copied} FROM ${quote(name)}`,
    `DROP TABLE ${quote(name)}`,
    `ALTER TABLE ${temporary} RENAME TO ${quote(name)}`,
    ...saved.map((o) => o.sql),
    'COMMIT',
    'PRAGMA foreign_keys = ON',
  ].join(';\n');
}

describe('SQLite snapshot', () => {
  let scratch: ScratchDatabase;
  let snapshot: SchemaSnapshot;

  beforeAll(async () => {
    scratch = await scratchWith({ kind: 'sqlite' }, fixture('sqlite/all-kinds.sql'));
    snapshot = await snapshotOf(scratch);
  });
  afterAll(async () => {
    await scratch?.dispose();
  });

  describe('captures', () => {
    it('the one namespace main, and nothing of the kinds SQLite does not have', () => {
      expect(snapshot).toMatchObject({ engine: 'sqlite', server: { product: 'SQLite' } });
      expect(snapshot.namespaces).toMatchObject([{ name: 'main', comment: null }]);
      for (const kind of ['sequences', 'types', 'routines', 'extensions', 'events', 'rules', 'eventTriggers'] as const) {
        expect(snapshot[kind]).toEqual([]);
      }
    });

    it('tables, and none of SQLite’s internal ones', () => {
      expect(snapshot.tables.map((t) => t.name)).toEqual([
        'album',
        'artist',
        'genre',
        'invoice',
        'invoice_line',
        'playlist',
        'playlist_track',
        'shop settings',
        'track',
        'track_search',
      ]);
    });

    it('columns with declared and normalised type, nullability, the default as stored, collation and AUTOINCREMENT', () => {
      const artist = table(snapshot, 'artist');
      const column = (t: Table, name: string) => t.columns.find((c) => c.name === name)!;
      expect(artist.columns.map((c) => [c.ordinal, c.name])).toEqual([
        [1, 'artist_id'],
        [2, 'name'],
        [3, 'country'],
        [4, 'created_at'],
      ]);
      expect(column(artist, 'artist_id')).toMatchObject({ type: 'INTEGER', normalizedType: 'integer', autoIncrement: true, identity: null });
      expect(column(artist, 'name')).toMatchObject({ type: 'NVARCHAR(120)', normalizedType: 'varchar(120)', nullable: false, collation: 'NOCASE' });
      expect(column(artist, 'country')).toMatchObject({ type: 'CHAR(2)', normalizedType: 'char(2)', nullable: true, default: "'GB'" });
      expect(column(artist, 'created_at')).toMatchObject({ normalizedType: 'timestamp', default: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" });
      const album = table(snapshot, 'album');
      expect(column(album, 'price')).toMatchObject({ type: 'DECIMAL(10, 2)', normalizedType: 'decimal(10,2)', default: '9.99' });
      expect(column(album, 'label').default).toBe("'It''s Independent'");
      expect(column(album, 'album_id').autoIncrement).toBe(false);
      const track = table(snapshot, 'track');
      expect(column(track, 'composer').collation).toBe('RTRIM');
      expect(column(track, 'bytes').normalizedType).toBe('bigint');
      expect(column(track, 'seconds').normalizedType).toBe('double');
      expect(column(track, 'is_explicit')).toMatchObject({ normalizedType: 'boolean', default: 'FALSE' });
      const invoice = table(snapshot, 'invoice');
      expect(column(invoice, 'invoice_date')).toMatchObject({ normalizedType: 'timestamp', default: 'CURRENT_TIMESTAMP' });
      expect(column(invoice, 'billing').normalizedType).toBe('json');
      expect(column(table(snapshot, 'invoice_line'), 'note')).toMatchObject({ type: 'ANY', normalizedType: 'any' });
      const settings = table(snapshot, 'shop settings');
      expect(settings.columns.map((c) => [c.name, c.normalizedType, c.default])).toEqual([
        ['key', 'text', null],
        ['value', 'binary', null],
        ['updated at', 'integer', 'unixepoch()'],
      ]);
    });

    it('generated columns with their expression as written and their storage', () => {
      const track = table(snapshot, 'track');
      expect(track.columns.find((c) => c.name === 'seconds')?.generated).toEqual({ expression: 'milliseconds / 1000.0', storage: 'virtual' });
      expect(track.columns.find((c) => c.name === 'length_label')?.generated).toEqual({
        expression: "printf('%d:%02d', milliseconds / 60000, (milliseconds / 1000) % 60)",
        storage: 'stored',
      });
      expect(track.columns.filter((c) => c.generated !== null)).toHaveLength(2);
    });

    it('primary keys, with the constraint name when the SQL gives one', () => {
      // SQLite has no constraint comments: always null.
      expect(table(snapshot, 'artist').primaryKey).toEqual({ name: null, columns: ['artist_id'], comment: null });
      expect(table(snapshot, 'playlist_track').primaryKey).toEqual({ name: 'playlist_track_pk', columns: ['playlist_id', 'track_id'], comment: null });
      expect(table(snapshot, 'shop settings').primaryKey).toEqual({ name: null, columns: ['key'], comment: null });
      expect(table(snapshot, 'track_search').primaryKey).toBeNull();
    });

    it('unique constraints from the table definition, named and unnamed, column- and table-level', () => {
      const common = { nullsNotDistinct: false, deferrable: 'not deferrable', comment: null };
      expect(table(snapshot, 'artist').uniqueConstraints).toEqual([{ name: 'artist_name_unique', columns: ['name'], ...common }]);
      expect(table(snapshot, 'genre').uniqueConstraints).toEqual([{ name: null, columns: ['name'], ...common }]);
      expect(table(snapshot, 'album').uniqueConstraints).toEqual([{ name: null, columns: ['artist_id', 'title'], ...common }]);
    });

    it('foreign keys with actions, MATCH, deferrability, names, and implicit references to the parent key', () => {
      const common = { referencedSchema: 'main', validated: true, comment: null };
      expect(table(snapshot, 'track').foreignKeys).toEqual([
        {
          name: 'track_genre_fk',
          columns: ['genre_id'],
          referencedTable: 'genre',
          referencedColumns: ['genre_id'],
          onUpdate: 'no action',
          onDelete: 'set null',
          match: 'simple',
          deferrable: 'initially immediate',
          ...common,
        },
        {
          name: null,
          columns: ['album_id'],
          referencedTable: 'album',
          referencedColumns: [],
          onUpdate: 'no action',
          onDelete: 'no action',
          match: 'simple',
          deferrable: 'initially deferred',
          ...common,
        },
      ]);
      expect(table(snapshot, 'album').foreignKeys).toMatchObject([
        { columns: ['artist_id'], referencedTable: 'artist', referencedColumns: ['artist_id'], onDelete: 'cascade', onUpdate: 'no action' },
      ]);
      expect(table(snapshot, 'playlist_track').foreignKeys).toMatchObject([
        { columns: ['playlist_id'], referencedTable: 'playlist', onDelete: 'cascade', match: 'simple' },
        { columns: ['track_id'], referencedTable: 'track', match: 'full', deferrable: 'not deferrable' },
      ]);
      expect(table(snapshot, 'invoice_line').foreignKeys).toMatchObject([
        { columns: ['invoice_id'], referencedTable: 'invoice', referencedColumns: [], onDelete: 'cascade' },
        { columns: ['track_id'], referencedTable: 'track', referencedColumns: ['track_id'] },
      ]);
    });

    it('check constraints, column- and table-level, named and unnamed, with the expression as written', () => {
      const checks = (name: string) => table(snapshot, name).checks.map((c) => [c.name, c.expression]);
      expect(checks('track')).toEqual([
        ['track_bytes_positive', 'bytes IS NULL OR bytes > 0'],
        [null, 'milliseconds > 0'],
        [null, 'unit_price >= 0'],
      ]);
      expect(checks('album')).toEqual([['album_price_positive', 'price >= 0']]);
      expect(checks('invoice')).toEqual([[null, 'json_valid(billing) OR billing IS NULL']]);
      expect(table(snapshot, 'album').checks[0]).toMatchObject({ validated: true, comment: null });
    });

    it('CREATE INDEX indexes: column and expression keys, order, collation per key, uniqueness, partial predicate', () => {
      const indexes = Object.fromEntries(snapshot.tables.flatMap((t) => t.indexes.map((i) => [i.name, i])));
      expect(Object.keys(indexes).sort()).toEqual(['album_released_idx', 'invoice_month_idx', 'track_album_name_idx', 'track_lower_name_idx']);
      const key = { nulls: null, opclass: null, collation: null, prefixLength: null };
      expect(indexes.album_released_idx).toEqual({
        name: 'album_released_idx',
        unique: false,
        method: null,
        keys: [{ kind: 'column', column: 'released', ...key, order: 'desc' }],
        include: [],
        predicate: null,
        nullsNotDistinct: false,
        options: {},
        comment: null,
      });
      expect(indexes.track_album_name_idx).toMatchObject({
        unique: true,
        keys: [
          { kind: 'column', column: 'album_id', order: 'asc', collation: null },
          { kind: 'column', column: 'name', order: 'asc', collation: 'NOCASE' },
        ],
      });
      expect(indexes.track_lower_name_idx).toMatchObject({
        keys: [
          { kind: 'expression', expression: 'lower(name)', order: 'asc' },
          { kind: 'column', column: 'milliseconds', order: 'desc' },
        ],
        predicate: 'genre_id IS NOT NULL',
      });
      expect(indexes.invoice_month_idx?.keys).toEqual([{ kind: 'expression', expression: "strftime('%Y-%m', invoice_date)", ...key, order: 'asc' }]);
    });

    it('WITHOUT ROWID and STRICT as table options, only where set', () => {
      expect(table(snapshot, 'playlist_track').options).toEqual({ without_rowid: 'true' });
      expect(table(snapshot, 'invoice_line').options).toEqual({ strict: 'true' });
      expect(table(snapshot, 'shop settings').options).toEqual({ without_rowid: 'true', strict: 'true' });
      expect(table(snapshot, 'track').options).toEqual({});
    });

    it('views with the query after AS, as written, and their columns with declared types', () => {
      const views = Object.fromEntries(snapshot.views.map((v) => [v.name, v]));
      expect(Object.keys(views)).toEqual(['album_summary', 'track_list']);
      expect(views.album_summary?.definition).toBe(
        'SELECT al.album_id, al.title, ar.name AS artist, count(t.track_id) AS tracks\n' +
          '  FROM album al\n' +
          '  JOIN artist ar ON ar.artist_id = al.artist_id\n' +
          '  LEFT JOIN track t ON t.album_id = al.album_id\n' +
          '  GROUP BY al.album_id',
      );
      expect(views.album_summary?.columns).toEqual([
        { name: 'album_id', type: 'INTEGER' },
        { name: 'title', type: 'VARCHAR(160)' },
        { name: 'artist', type: 'NVARCHAR(120)' },
        { name: 'tracks', type: '' },
      ]);
      expect(views.track_list).toMatchObject({
        materialized: false,
        checkOption: null,
        definition: 'SELECT t.track_id, t.name, al.title FROM track t JOIN album al USING (album_id)',
        columns: [
          { name: 'id', type: 'INTEGER' },
          { name: 'title', type: 'TEXT' },
          { name: 'album', type: 'VARCHAR(160)' },
        ],
      });
    });

    it('triggers with timing, event, UPDATE OF columns, WHEN condition and the body between BEGIN and END', () => {
      const triggers = Object.fromEntries(snapshot.triggers.map((t) => [t.name, t]));
      expect(triggers.track_price_guard).toMatchObject({
        schema: 'main',
        table: 'track',
        name: 'track_price_guard',
        timing: 'before',
        events: ['update'],
        updateColumns: ['unit_price', 'milliseconds'],
        level: 'row',
        condition: 'NEW.unit_price < 0',
        action: "SELECT RAISE(ABORT, 'negative price');",
        function: null,
        enabled: 'always',
        constraintTrigger: null,
        order: null,
        comment: null,
      });
      expect(triggers.invoice_line_total).toMatchObject({ timing: 'after', events: ['insert'], updateColumns: [], condition: null });
      expect(triggers.album_summary_delete).toMatchObject({
        table: 'album_summary',
        timing: 'instead of',
        events: ['delete'],
        action: 'DELETE FROM track WHERE album_id = OLD.album_id;\n  DELETE FROM album WHERE album_id = OLD.album_id;',
      });
      // CASE … END inside the body does not end it.
      expect(triggers.artist_renamed).toMatchObject({
        condition: 'OLD.name <> NEW.name',
        action: 'UPDATE album SET label = CASE WHEN label IS NULL THEN NEW.name ELSE label END WHERE artist_id = NEW.artist_id;',
      });
    });

    it('virtual tables with their module and arguments, and not the shadow tables that store them', () => {
      expect(table(snapshot, 'track_search')).toMatchObject({
        options: { using: 'fts5(name, composer)' },
        columns: [
          { name: 'name', ordinal: 1, type: '' },
          { name: 'composer', ordinal: 2, type: '' },
        ],
      });
      expect(snapshot.tables.some((t) => t.name.startsWith('track_search_'))).toBe(false);
    });

    it('twice in a row, byte for byte the same', async () => {
      expect(serializeSnapshot(await snapshotOf(scratch))).toBe(serializeSnapshot(snapshot));
    });

    it('the same from a database restored from sqlite3 .dump', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'schemaguard-test-'));
      try {
        dumpAndRestore(pathOf(scratch), join(dir, 'restored.db'));
        const restored = await snapshotFile(join(dir, 'restored.db'));
        expect(diffSnapshots(snapshot, restored)).toEqual([]);
        expect(serializeSnapshot(restored)).toBe(serializeSnapshot(snapshot));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('diff names exactly the object that changed', () => {
    const cases: [string, string | Rebuild, string[]][] = [
      [
        'a column type',
        rebuild('genre', 'genre_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, description VARCHAR(200)'),
        ['changed column genre.description type'],
      ],
      ['nullability', rebuild('playlist', 'playlist_id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE'), ['changed column playlist.name nullable']],
      ['a collation', rebuild('playlist', 'playlist_id INTEGER PRIMARY KEY, name TEXT COLLATE BINARY'), ['changed column playlist.name collation']],
      [
        'an added unique constraint',
        rebuild('playlist', 'playlist_id INTEGER PRIMARY KEY, name TEXT COLLATE BINARY, UNIQUE (name)'),
        ['added unique constraint playlist.unique(name)'],
      ],
      [
        'a default',
        rebuild(
          'artist',
          `artist_id INTEGER PRIMARY KEY AUTOINCREMENT, name NVARCHAR(120) NOT NULL COLLATE NOCASE, country CHAR(2) DEFAULT 'US',
           created_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), CONSTRAINT artist_name_unique UNIQUE (name)`,
        ),
        ['changed column artist.country default'],
      ],
      [
        'AUTOINCREMENT',
        rebuild(
          'artist',
          `artist_id INTEGER PRIMARY KEY, name NVARCHAR(120) NOT NULL COLLATE NOCASE, country CHAR(2) DEFAULT 'US',
           created_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), CONSTRAINT artist_name_unique UNIQUE (name)`,
        ),
        ['changed column artist.artist_id autoIncrement'],
      ],
      [
        'a generated expression',
        rebuild(
          'track',
          `track_id INTEGER PRIMARY KEY AUTOINCREMENT, album_id INTEGER REFERENCES album DEFERRABLE INITIALLY DEFERRED, genre_id INTEGER,
           name TEXT NOT NULL, composer TEXT COLLATE RTRIM, milliseconds INTEGER NOT NULL CHECK (milliseconds > 0), bytes BIGINT,
           unit_price NUMERIC(10,2) NOT NULL DEFAULT 0.99, seconds REAL GENERATED ALWAYS AS (milliseconds / 1000) VIRTUAL,
           length_label TEXT AS (printf('%d:%02d', milliseconds / 60000, (milliseconds / 1000) % 60)) STORED,
           is_explicit BOOLEAN NOT NULL DEFAULT FALSE,
           CONSTRAINT track_genre_fk FOREIGN KEY (genre_id) REFERENCES genre (genre_id) ON DELETE SET NULL DEFERRABLE INITIALLY IMMEDIATE,
           CONSTRAINT track_bytes_positive CHECK (bytes IS NULL OR bytes > 0), CHECK (unit_price >= 0)`,
        ),
        ['changed column track.seconds generated'],
      ],
      [
        'a named check',
        rebuild(
          'album',
          `album_id INTEGER PRIMARY KEY, title VARCHAR(160) NOT NULL,
           artist_id INTEGER NOT NULL REFERENCES artist (artist_id) ON DELETE CASCADE ON UPDATE NO ACTION, released DATE,
           price DECIMAL(10, 2) NOT NULL DEFAULT 9.99 CONSTRAINT album_price_positive CHECK (price > 0),
           label TEXT DEFAULT 'It''s Independent', UNIQUE (artist_id, title)`,
        ),
        ['changed check constraint album.album_price_positive expression'],
      ],
      [
        'an unnamed check',
        rebuild(
          'invoice_line',
          `invoice_line_id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoice ON DELETE CASCADE,
           track_id INTEGER NOT NULL REFERENCES track (track_id), unit_price REAL NOT NULL, quantity INT NOT NULL DEFAULT 1, note ANY`,
          ' STRICT',
        ),
        ['removed check constraint invoice_line.check(quantity > 0)'],
      ],
      [
        'a foreign key action',
        rebuild(
          'invoice_line',
          `invoice_line_id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoice ON DELETE RESTRICT,
           track_id INTEGER NOT NULL REFERENCES track (track_id), unit_price REAL NOT NULL, quantity INT NOT NULL DEFAULT 1, note ANY`,
          ' STRICT',
        ),
        ['changed foreign key invoice_line.foreign key(invoice_id) → invoice onDelete'],
      ],
      [
        'an implicit primary-key reference made explicit',
        rebuild(
          'invoice_line',
          `invoice_line_id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoice (invoice_id) ON DELETE RESTRICT,
           track_id INTEGER NOT NULL REFERENCES track (track_id), unit_price REAL NOT NULL, quantity INT NOT NULL DEFAULT 1, note ANY`,
          ' STRICT',
        ),
        ['changed foreign key invoice_line.foreign key(invoice_id) → invoice referencedColumns'],
      ],
      [
        'STRICT',
        rebuild(
          'invoice_line',
          `invoice_line_id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoice (invoice_id) ON DELETE RESTRICT,
           track_id INTEGER NOT NULL REFERENCES track (track_id), unit_price REAL NOT NULL, quantity INT NOT NULL DEFAULT 1, note ANY`,
        ),
        ['changed table invoice_line option strict'],
      ],
      [
        'a primary key name',
        rebuild(
          'playlist_track',
          `playlist_id INTEGER NOT NULL, track_id INTEGER NOT NULL, position INT NOT NULL,
           CONSTRAINT playlist_track_key PRIMARY KEY (playlist_id, track_id),
           FOREIGN KEY (playlist_id) REFERENCES playlist (playlist_id) ON DELETE CASCADE,
           FOREIGN KEY (track_id) REFERENCES track (track_id) MATCH FULL`,
          ' WITHOUT ROWID',
        ),
        ['changed primary key playlist_track.playlist_track_key name'],
      ],
      [
        'a foreign key deferrability',
        rebuild(
          'playlist_track',
          `playlist_id INTEGER NOT NULL, track_id INTEGER NOT NULL, position INT NOT NULL,
           CONSTRAINT playlist_track_key PRIMARY KEY (playlist_id, track_id),
           FOREIGN KEY (playlist_id) REFERENCES playlist (playlist_id) ON DELETE CASCADE,
           FOREIGN KEY (track_id) REFERENCES track (track_id) MATCH FULL DEFERRABLE INITIALLY DEFERRED`,
          ' WITHOUT ROWID',
        ),
        ['changed foreign key playlist_track.foreign key(track_id) → track deferrable'],
      ],
      [
        'WITHOUT ROWID',
        rebuild('shop settings', '[key] TEXT NOT NULL, `value` BLOB, "updated at" INTEGER NOT NULL DEFAULT (unixepoch()), PRIMARY KEY ([key])', ' STRICT'),
        ['changed table shop settings option without_rowid'],
      ],
      ['an added column', 'ALTER TABLE genre ADD COLUMN slug TEXT', ['added column genre.slug']],
      ['a dropped column', 'ALTER TABLE genre DROP COLUMN slug', ['removed column genre.slug']],
      [
        'an index predicate',
        'DROP INDEX track_lower_name_idx; CREATE INDEX track_lower_name_idx ON track (lower(name), milliseconds DESC) WHERE genre_id IS NULL',
        ['changed index track.track_lower_name_idx predicate'],
      ],
      [
        'an index key collation',
        'DROP INDEX track_album_name_idx; CREATE UNIQUE INDEX track_album_name_idx ON track (album_id, name COLLATE RTRIM)',
        ['changed index track.track_album_name_idx keys'],
      ],
      [
        'index uniqueness',
        'DROP INDEX album_released_idx; CREATE UNIQUE INDEX album_released_idx ON album (released DESC)',
        ['changed index album.album_released_idx unique'],
      ],
      ['a new index', 'CREATE INDEX genre_name_idx ON genre (name)', ['added index genre.genre_name_idx']],
      [
        'a view body',
        'DROP VIEW track_list; CREATE VIEW track_list (id, title, album) AS SELECT t.track_id, t.name, al.title FROM track t JOIN album al USING (album_id) WHERE t.bytes > 0',
        ['changed view track_list definition'],
      ],
      [
        'a trigger condition',
        `DROP TRIGGER artist_renamed; CREATE TRIGGER artist_renamed AFTER UPDATE ON artist WHEN OLD.name IS NOT NEW.name BEGIN
           UPDATE album SET label = CASE WHEN label IS NULL THEN NEW.name ELSE label END WHERE artist_id = NEW.artist_id; END`,
        ['changed trigger artist.artist_renamed condition'],
      ],
      [
        'trigger UPDATE OF columns',
        `DROP TRIGGER track_price_guard; CREATE TRIGGER track_price_guard BEFORE UPDATE OF unit_price ON track
           FOR EACH ROW WHEN NEW.unit_price < 0 BEGIN SELECT RAISE(ABORT, 'negative price'); END`,
        ['changed trigger track.track_price_guard updateColumns'],
      ],
      [
        'a trigger body',
        `DROP TRIGGER invoice_line_total; CREATE TRIGGER invoice_line_total AFTER INSERT ON invoice_line BEGIN
           UPDATE invoice SET total = total + NEW.unit_price WHERE invoice_id = NEW.invoice_id; END`,
        ['changed trigger invoice_line.invoice_line_total action'],
      ],
      [
        'a trigger timing',
        `DROP TRIGGER invoice_line_total; CREATE TRIGGER invoice_line_total BEFORE INSERT ON invoice_line BEGIN
           UPDATE invoice SET total = total + NEW.unit_price WHERE invoice_id = NEW.invoice_id; END`,
        ['changed trigger invoice_line.invoice_line_total timing'],
      ],
      ['a dropped trigger', 'DROP TRIGGER album_summary_delete', ['removed trigger album_summary.album_summary_delete']],
      ['a dropped view', 'DROP VIEW track_list', ['removed view track_list']],
      [
        'a virtual table’s module arguments',
        "DROP TABLE track_search; CREATE VIRTUAL TABLE track_search USING fts5(name, composer, tokenize = 'porter')",
        ['changed table track_search option using'],
      ],
      ['a new table', 'CREATE TABLE coupon (code TEXT PRIMARY KEY, percent INT CHECK (percent BETWEEN 1 AND 100))', ['added table coupon']],
      ['a dropped table', 'DROP TABLE "shop settings"', ['removed table shop settings']],
      // SQLite folds ASCII case in names: a name spelled in another case is the same object, renamed.
      [
        'a column name’s case',
        'ALTER TABLE genre RENAME COLUMN name TO Name',
        ['changed column genre.Name name', 'changed unique constraint genre.unique(Name) columns', 'changed index genre.genre_name_idx keys'],
      ],
      [
        'a table name’s case (its children’s references follow)',
        'ALTER TABLE playlist RENAME TO playlist_tmp; ALTER TABLE playlist_tmp RENAME TO Playlist',
        ['changed table Playlist name', 'changed foreign key playlist_track.foreign key(playlist_id) → Playlist referencedTable'],
      ],
    ];

    let previous: SchemaSnapshot;
    beforeAll(() => {
      previous = snapshot;
    });

    it.each(cases)('%s', async (_what, change, expected) => {
      await scratch.connection.executeScript(typeof change === 'string' ? change : await rebuildScript(scratch, change));
      const next = await snapshotOf(scratch);
      expect(describeChanges(previous, next)).toEqual(expected);
      previous = next;
    });
  });
});

describe('loading a schema file written for the sqlite3 shell', () => {
  it('says in one line which statement holds a double-quoted string, and why the shell took it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schemaguard-dqs-'));
    const file = join(dir, 'schema.sql');
    writeFileSync(file, `CREATE TABLE visibility (\n  attributes TEXT,\n  batcher TEXT AS (json_extract(attributes, "$.BatcherUser"))\n);\n`);
    try {
      const capture = captureSource(
        { kind: 'sql-file', path: file },
        { schemas: [], exclude: [], statementTimeoutMs: DEFAULT_STATEMENT_TIMEOUT_MS, dialect: 'sqlite', scratch: null },
      );
      const error = await capture.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(SchemaguardError);
      const message = (error as SchemaguardError).message;
      expect(message).toBe(
        `${file}: line 1, CREATE TABLE visibility …: no such column: "$.BatcherUser". If "$.BatcherUser" is meant as a string, write '$.BatcherUser': the sqlite3 shell before 3.41 accepts double-quoted strings, but schemaguard's SQLite build (better-sqlite3, compiled with SQLITE_DQS=0) does not`,
      );
      // The shell loads it: the file is valid for the shell, not for this build.
      execFileSync('sqlite3', [join(dir, 'shell.db')], { input: readFileSync(file, 'utf8') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite foreign keys written alike', () => {
  it('pair with their clauses in the order written', async () => {
    const scratch = await scratchWith(
      { kind: 'sqlite' },
      `CREATE TABLE parent (id INTEGER PRIMARY KEY);
       CREATE TABLE child (
         parent_id INTEGER,
         CONSTRAINT first_fk FOREIGN KEY (parent_id) REFERENCES parent ON DELETE CASCADE,
         CONSTRAINT second_fk FOREIGN KEY (parent_id) REFERENCES parent ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED)`,
    );
    try {
      const child = table(await snapshotOf(scratch), 'child');
      expect(child.foreignKeys.map((f) => [f.name, f.onDelete, f.deferrable])).toEqual([
        ['first_fk', 'cascade', 'not deferrable'],
        ['second_fk', 'set null', 'initially deferred'],
      ]);
    } finally {
      await scratch.dispose();
    }
  });
});

describe('SQLite views SQLite cannot resolve', () => {
  it('get no columns, and do not fail the capture', async () => {
    // SQLite lets a table go while a view still reads it; the view then fails to compile.
    const scratch = await scratchWith(
      { kind: 'sqlite' },
      `CREATE TABLE gone (a INTEGER); CREATE TABLE kept (b TEXT);
       CREATE VIEW broken AS SELECT a FROM gone; CREATE VIEW fine AS SELECT b FROM kept;
       DROP TABLE gone`,
    );
    try {
      const captured = await snapshotOf(scratch);
      expect(captured.views.map((v) => [v.name, v.definition, v.columns])).toEqual([
        ['broken', 'SELECT a FROM gone', []],
        ['fine', 'SELECT b FROM kept', [{ name: 'b', type: 'TEXT' }]],
      ]);
      expect(captured.tables.map((t) => t.name)).toEqual(['kept']);
    } finally {
      await scratch.dispose();
    }
  });
});

describe('SQLite capture reads a fixed number of queries', () => {
  /** Counts the statements one capture runs on a database of `tables` tables, each with an index, a foreign key and a trigger. */
  async function queriesFor(tables: number): Promise<number> {
    const statements = ['CREATE TABLE t0 (id INTEGER PRIMARY KEY)'];
    for (let i = 1; i <= tables; i += 1) {
      statements.push(
        `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES t${i - 1}, name TEXT CHECK (name <> ''))`,
        `CREATE INDEX t${i}_name ON t${i} (lower(name))`,
        `CREATE VIEW v${i} AS SELECT * FROM t${i}`,
        `CREATE TRIGGER t${i}_touch AFTER INSERT ON t${i} BEGIN SELECT 1; END`,
      );
    }
    const scratch = await scratchWith({ kind: 'sqlite' }, statements.join(';\n'));
    const database = new Database(pathOf(scratch), { readonly: true });
    let queries = 0;
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database }), log: () => void (queries += 1) });
    try {
      const captured = await captureSqliteSchema(db, { engine: 'sqlite', product: 'SQLite', version: '' }, { schemas: [] });
      expect(captured.tables).toHaveLength(tables + 1);
      return queries;
    } finally {
      await db.destroy();
      await scratch.dispose();
    }
  }

  it('whatever the number of tables', async () => {
    expect(await queriesFor(1)).toBe(await queriesFor(40));
  });
});

describe('reading a SQLite file read-only', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'schemaguard-test-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the file exactly as it was', async () => {
    const path = join(dir, 'shop.db');
    execFileSync('sqlite3', ['-bail', path], { input: fixture('sqlite/all-kinds.sql') });
    const bytes = readFileSync(path);
    const { mtimeMs } = statSync(path);
    const captured = await snapshotFile(path);
    expect(captured.tables.length).toBeGreaterThan(0);
    expect(statSync(path).mtimeMs).toBe(mtimeMs);
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it('fails clearly on a missing file', async () => {
    const missing = join(dir, 'missing.db');
    await expect(snapshotFile(missing)).rejects.toThrow(SchemaguardError);
    await expect(snapshotFile(missing)).rejects.toThrow(`SQLite database file not found: ${missing}`);
    expect(() => statSync(missing)).toThrow(); // and did not create it
  });

  it('fails clearly on a file that is not a database', async () => {
    const notes = join(dir, 'notes.db');
    writeFileSync(notes, 'shopping list: milk, eggs, and a lot more text than a SQLite header\n'.repeat(20));
    await expect(snapshotFile(notes)).rejects.toThrow(SchemaguardError);
    await expect(snapshotFile(notes)).rejects.toThrow(/cannot open SQLite database .*notes\.db: file is not a database/);
  });
});
